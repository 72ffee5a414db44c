/**
 * `npm run demo` end to end: the demo process (dist/demo/main.js, built by `npm test`) starts
 * three hubs, builds the network and prints the URLs; the pages show the directory with the
 * imported entries and the three hubs' co-ops, the pool with its progress bars, and the
 * agreements network; Ctrl-C (SIGINT) stops everything: no hub process left, no port open, no
 * data left behind.
 */
import { ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.join(__dirname, '..', '..')

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf (pid: number): number[] {
  const out: number[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) out.push(Number(entry))
    } catch { /* exited meanwhile */ }
  }
  return out
}

function isRunning (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function refusesConnections (port: number): Promise<boolean> {
  return await new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => { socket.destroy(); resolve(false) })
    socket.once('error', () => resolve(true))
  })
}

function demoDataDirs (): string[] {
  return fs.readdirSync(os.tmpdir()).filter(d => d.startsWith('ioocloud-demo-'))
}

describe('npm run demo', () => {
  let demo: ChildProcess | undefined

  afterAll(async () => {
    // After a failure: the demo stops its hubs on SIGINT (a SIGKILL would orphan them).
    if (demo && demo.exitCode === null) {
      const gone = new Promise(resolve => demo?.once('exit', resolve))
      demo.kill('SIGINT')
      await gone
    }
  })

  it('shows the federated network in the pages and leaves nothing running after Ctrl-C', async () => {
    const dirsBefore = demoDataDirs()
    demo = spawn(process.execPath, [path.join(ROOT, 'dist', 'demo', 'main.js')], {
      env: { PATH: process.env.PATH, DEMO_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    let err = ''
    demo.stdout?.on('data', d => { out += String(d) })
    demo.stderr?.on('data', d => { err += String(d) })
    const exited = new Promise<number | null>(resolve => demo?.once('exit', code => resolve(code)))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo did not print its URLs in time:\n${err}`)), 150_000)
      const check = (): void => { if (out.includes('Press Ctrl-C')) { clearTimeout(timer); resolve() } }
      demo?.stdout?.on('data', check)
      void exited.then(code => { clearTimeout(timer); reject(new Error(`the demo exited (${code}):\n${err}`)) })
    })

    const hubUrls = [...out.matchAll(/^ {2}(?:Commons Umbrella|Harbour Hub|Lantern Hub)\s+(http:\/\/127\.0\.0\.1:\d+)/gm)].map(m => m[1])
    expect(hubUrls).toHaveLength(3)
    const [umbrella] = hubUrls
    expect(out).toContain(`${umbrella}/pools`)
    expect(out).toContain(`${umbrella}/network`)

    const directory = await (await fetch(`${umbrella}/`)).text()
    for (const name of ['Riverside Cloud Co-op', 'Hilltop Commons', 'Meadow Decisions', 'Harbour Hosting Co-operative', 'Lantern Video Collective']) {
      const search = await (await fetch(`${umbrella}/?q=${encodeURIComponent(name)}`)).text()
      expect([name, search.includes(name)]).toEqual([name, true])
    }
    const api = await (await fetch(`${umbrella}/api/v1/directory?kind=imported&limit=1`)).json() as { total: number }
    expect(api.total).toBeGreaterThan(300)
    expect(directory).toMatch(/(\d+) clouds match/)

    const pools = await (await fetch(`${umbrella}/pools`)).text()
    expect(pools).toContain('Nextcloud accessibility fund')
    // 950 of 1,500 EUR pledged (600 + 350 from the two other hubs), 600 received.
    expect(pools).toContain('€950.00 of €1,500.00 (63%)')
    expect(pools).toMatch(/<progress aria-labelledby="[^"]*-pledged" max="100" value="63">/)
    expect(pools).toMatch(/<progress class="received" aria-labelledby="[^"]*-received" max="100" value="40">/)
    const network = await (await fetch(`${umbrella}/network`)).text()
    for (const name of ['Riverside Cloud Co-op', 'Harbour Hosting Co-operative', 'Lantern Video Collective']) expect(network).toContain(name)
    expect((await (await fetch(`${hubUrls[1]}/api/v1/agreements`)).json() as { items: Array<{ status: string }> }).items.map(a => a.status)).toEqual(['active'])

    const hubs = childrenOf(demo.pid as number)
    expect(hubs.length).toBeGreaterThanOrEqual(3)
    demo.kill('SIGINT')
    expect(await exited).toBe(0)
    for (const pid of hubs) expect([pid, isRunning(pid)]).toEqual([pid, false])
    for (const url of hubUrls) expect([url, await refusesConnections(Number(new URL(url).port))]).toEqual([url, true])
    expect(demoDataDirs()).toEqual(dirsBefore)
  }, 240_000)
})
