/**
 * The reference "activitypub-express default inbox": apex's own inbox middleware chain
 * (`apex.net.inbox.post`, with its http-signature check and its `request`-based key fetch) on
 * the hub's SQLite store. Run as a child process by the inbound benchmark; prints `READY <origin>`.
 */
import ActivitypubExpress from 'activitypub-express'
import express from 'express'
import { AddressInfo } from 'net'
import { ROUTES } from '../../src/federation/routes/route-paths'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'

async function main (): Promise<void> {
  const store = new SqliteStore(process.env.BENCH_DB ?? ':memory:')
  const app = express()
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>(resolve => server.once('listening', () => resolve()))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const apex = ActivitypubExpress({
    name: 'apex-reference', version: '4.4.2', baseUrl: origin, actorParam: 'actor', objectParam: 'id',
    activityParam: 'id', routes: { ...ROUTES }, store, logger: { info () {}, warn () {}, error () {} }
  })
  app.use(express.json({ type: apex.consts.jsonldTypes }), apex)
  app.post(ROUTES.inbox, apex.net.inbox.post as unknown as express.RequestHandler[])
  await store.setup()
  const createActor = apex.createActor as unknown as (u: string, n: string, s: string, i: null, t: string) => Promise<Record<string, unknown>>
  await store.saveObject(await createActor('coop', 'Bench Co-op', 'apex reference', null, 'Organization') as never)
  server.keepAliveTimeout = 30_000
  process.stdout.write(`READY ${origin}\n`)
  process.on('SIGTERM', () => server.close(() => { store.close(); process.exit(0) }))
}

void main()
