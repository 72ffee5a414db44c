/**
 * `npm run demo`: three hubs on loopback, federating — an umbrella hub with three co-ops and two
 * hubs with one co-op each — with services, the Internet of Ownership directory, a funding pool
 * with pledges from two hubs and a three-party agreement; then the URLs to open. Ctrl-C stops
 * the hubs and deletes their data. DEMO_PORT (default 8301) is where the first hub goes, the
 * others follow it; a taken port is replaced by a free one (DEMO_PORT=0: free ports only).
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { PROJECT_ROOT } from '../schemas/schema-files'
import { buildDemoNetwork, DemoNetwork } from './demo-build'
import { DemoHubProcess, portNear, startDemoHub } from './demo-hubs'
import { DEMO_HUBS } from './demo-network'

const IOO_FIXTURE = path.join(PROJECT_ROOT, 'test', 'fixtures', 'directories', 'ioo-directory', 'converted_data.json')

/** Serves the IoO fixture on loopback, where the umbrella hub imports it from like any source. */
async function serveFixture (): Promise<{ url: string, close: () => Promise<void> }> {
  const body = fs.readFileSync(IOO_FIXTURE)
  const server = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body) })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/converted_data.json`,
    close: async () => { server.closeAllConnections(); await new Promise<void>(resolve => server.close(() => resolve())) }
  }
}

function summary (hubs: DemoHubProcess[], network: DemoNetwork): string {
  const [umbrella] = hubs
  const lines = ['', 'IoOCloud demo: three hubs federating on loopback', '']
  for (const [i, hub] of hubs.entries()) {
    const coops = DEMO_HUBS[i].coops.map(c => c.username).join(', ')
    lines.push(`  ${hub.name.padEnd(17)} ${hub.url.padEnd(24)} co-ops: ${coops}`)
  }
  lines.push('', 'Open in a browser:', '')
  const link = (label: string, url: string): void => { lines.push(`  ${label.padEnd(46)} ${url}`) }
  link(`Directory (${network.imported} imported entries, five co-ops)`, `${umbrella.url}/`)
  link('Funding pool with its progress bar', `${umbrella.url}/pools`)
  link('Agreements network', `${umbrella.url}/network`)
  link('Map', `${umbrella.url}/map`)
  link('A co-op\'s page', `${umbrella.url}/u/riverside`)
  link('The same network seen from Harbour Hub', `${hubs[1].url}/`)
  lines.push('', `Admin tokens (for the API at /api/v1 and its document at ${umbrella.url}/api/v1/openapi.json):`)
  for (const hub of hubs) lines.push(`  ${hub.name.padEnd(17)} ${hub.adminToken}`)
  lines.push('', 'Press Ctrl-C to stop the three hubs (their data is deleted).', '')
  return lines.join('\n')
}

async function main (): Promise<void> {
  const log = (line: string): void => { process.stderr.write(`demo: ${line}\n`) }
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ioocloud-demo-'))
  const hubs: DemoHubProcess[] = []
  let fixture: { url: string, close: () => Promise<void> } | null = null
  let stopping: Promise<void> | null = null
  const stop = async (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(hubs.map(h => h.stop()))
      await fixture?.close()
      fs.rmSync(dataRoot, { recursive: true, force: true })
    })()
    await stopping
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write('\ndemo: stopping the hubs\n')
      stop().then(() => process.exit(0), () => process.exit(1))
    })
  }
  try {
    const base = process.env.DEMO_PORT === undefined ? 8301 : Number(process.env.DEMO_PORT)
    for (const [i, plan] of DEMO_HUBS.entries()) {
      const port = await portNear(base > 0 ? base + i : 0)
      log(`starting ${plan.name} on port ${port}`)
      hubs.push(await startDemoHub(plan.name, port, path.join(dataRoot, `hub-${i + 1}`)))
    }
    for (const hub of hubs) {
      void hub.exited.then(code => {
        if (stopping) return
        process.stderr.write(`demo: ${hub.name} stopped unexpectedly (exit ${code}):\n${hub.output()}\n`)
        stop().then(() => process.exit(1), () => process.exit(1))
      })
    }
    fixture = await serveFixture()
    const network = await buildDemoNetwork(hubs, fixture.url, log)
    process.stdout.write(summary(hubs, network))
  } catch (err) {
    process.stderr.write(`demo: ${(err as Error).message}\n`)
    for (const hub of hubs) if (hub.output().trim()) process.stderr.write(`--- ${hub.name}:\n${hub.output()}\n`)
    await stop()
    process.exit(1)
  }
}

void main()
