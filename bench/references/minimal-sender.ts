/**
 * The fan-out reference, "a minimal sender": POSTs one body to every inbox in a list, each
 * request signed (draft-cavage, the key parsed once, the RSA operation on libuv's thread pool as
 * the hub does it) with the body's Digest, over keep-alive connections, `concurrency` requests
 * in flight. No queue, no store, no retries. Reads its task from the JSON file named by
 * BENCH_TASK; prints `RESULT {"seconds":…,"failed":…}` per run.
 */
import fs from 'fs'
import { Agent, request } from 'undici'
import { digestHeader } from '../../src/federation/signatures/digest'
import { signRequestAsync } from '../../src/federation/signatures/draft-cavage'

interface Task { inboxes: string[], body: string, keyId: string, privateKeyPem: string, concurrency: number, runs: number }

async function sendAll (task: Task, agent: Agent): Promise<{ seconds: number, failed: number }> {
  const digest = digestHeader(task.body)
  let next = 0
  let failed = 0
  const started = process.hrtime.bigint()
  const worker = async (): Promise<void> => {
    while (next < task.inboxes.length) {
      const url = new URL(task.inboxes[next++])
      const headers: Record<string, string> = { 'content-type': 'application/activity+json', host: url.host, digest }
      Object.assign(headers, await signRequestAsync({ method: 'POST', path: url.pathname, headers }, task.keyId, task.privateKeyPem))
      try {
        const res = await request(url, { method: 'POST', headers, body: task.body, dispatcher: agent })
        await res.body.dump()
        if (res.statusCode < 200 || res.statusCode >= 300) failed++
      } catch {
        failed++
      }
    }
  }
  await Promise.all(Array.from({ length: task.concurrency }, worker))
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, failed }
}

async function main (): Promise<void> {
  const task = JSON.parse(fs.readFileSync(String(process.env.BENCH_TASK), 'utf8')) as Task
  // The same pool settings as the hub's outbound client.
  const agent = new Agent({ connections: 32, keepAliveTimeout: 10_000 })
  for (let i = 0; i < task.runs; i++) process.stdout.write(`RESULT ${JSON.stringify(await sendAll(task, agent))}\n`)
  await agent.close()
}

main().catch(err => { process.stderr.write(`${(err as Error).stack}\n`); process.exit(1) })
