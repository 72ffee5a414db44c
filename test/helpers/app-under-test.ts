import fs from 'fs'
import os from 'os'
import path from 'path'
import type { Express } from 'express'
import request from 'supertest'
import { createApp } from '../../src/app'
import { ensureAdminToken } from '../../src/auth/admin-token'
import { loadConfig } from '../../src/config/config'
import { createHubContext, HubContext } from '../../src/hub-context'
import { createLogger } from '../../src/log/logger'
import { ProcessPresence, presenceTiming } from '../../src/processes/process-presence'
import { openConfiguredStore } from '../../src/store/open-store'
import { stopHub } from '../../src/hub-shutdown'
import { freePort } from './ports'
import { prepareTestStore, type TestStoreKind, type TestStorePlace } from './test-store-choice'

/**
 * A hub's Express app built in the test process on a fresh DATA_DIR, listening nowhere: tests
 * reach it with supertest (`request(app)`). For API and route tests where no process boundary
 * and no remote peer is under test; a peer that must reach the hub needs a listening hub
 * (in-process-hub.ts), and crashes or several processes need real ones (hub-process.ts).
 */
export interface AppUnderTest {
  app: Express
  hub: HubContext
  /** The hub's HUB_URL: ids are minted under it, but nothing listens there. */
  url: string
  adminToken: string
  dataDir: string
  /** Stops the hub's workers and closes its store. */
  stop: () => Promise<void>
  /** Stops, then builds the hub again on the same DATA_DIR, HUB_URL and admin token (a restart). */
  restart: () => Promise<AppUnderTest>
}

/** Where a restart builds the hub again; a fresh DATA_DIR and HUB_URL when not given. */
export interface AppUnderTestOptions {
  dataDir?: string
  hubUrl?: string
  adminToken?: string
  env?: Record<string, string>
  /** SQLite in DATA_DIR (the default) or a fresh PostgreSQL database, dropped by `stop`. */
  store?: TestStoreKind
}

/**
 * Builds the hub (store, context, admin token, process presence) and its app without listening,
 * as `startHub` does; `env` overrides the settings a test needs.
 */
export async function startAppUnderTest (options: AppUnderTestOptions = {}): Promise<AppUnderTest> {
  return await buildAppUnderTest(options, await prepareTestStore(options.store ?? 'sqlite'))
}

/** Builds the hub on `place`; a restart hands the same place (the same database) to the next build. */
async function buildAppUnderTest (options: AppUnderTestOptions, place: TestStorePlace): Promise<AppUnderTest> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-hub-'))
  // A port free now, so the URL looks like a loopback hub's; the hub never listens on it.
  const hubUrl = options.hubUrl ?? `http://127.0.0.1:${await freePort()}`
  const adminToken = options.adminToken ?? `test-admin-token-${Math.random().toString(36).slice(2)}-abcdefghij`
  const config = loadConfig({
    PORT: new URL(hubUrl).port,
    HUB_URL: hubUrl,
    DATA_DIR: dataDir,
    HUB_ADMIN_TOKEN: adminToken,
    HUB_ALLOW_PRIVATE_ADDRESSES: '1',
    LOG_LEVEL: 'silent',
    // Scheduled sync stays off unless a test turns it on: a tick must not change a test's data.
    HUB_SCHEDULER: '0',
    ...place.env,
    ...options.env
  })
  const logger = createLogger(config.logLevel)
  const store = await openConfiguredStore(config, { serving: true })
  const hub = await createHubContext(config, store, logger).catch(async err => { await store.shutdown(); throw err })
  // The delivery queue and the inbox journal are kept going by the presence, as in a served hub.
  const presence = new ProcessPresence(store, logger.child({ component: 'processes' }), {
    wakeDelivery: () => hub.delivery.wake(),
    replayInbox: () => hub.journal.replay(event => hub.inbox.dispatch(event))
  }, presenceTiming(config.processHeartbeatMs))
  await presence.register()
  const app = createApp(hub)
  await ensureAdminToken(hub.tokens, config.dataDir, config.adminToken)
  presence.start()
  let stopping: Promise<void> | null = null
  const close = (): Promise<void> => {
    // Nothing listens: supertest calls the app directly.
    stopping ??= stopHub(hub, presence, async () => {})
    return stopping
  }
  const stop = async (): Promise<void> => {
    await close()
    await place.drop()
  }
  const restart = async (): Promise<AppUnderTest> => {
    await close()
    return await buildAppUnderTest({ ...options, dataDir, hubUrl, adminToken }, place)
  }
  return { app, hub, url: hubUrl, adminToken, dataDir, stop, restart }
}

/** The path of `target` on the app's hub: a path as it is, or a URL under its HUB_URL. */
function pathOn (under: AppUnderTest, target: string): string {
  if (target.startsWith('/')) return target
  const url = new URL(target)
  if (url.origin !== new URL(under.url).origin) throw new Error(`${target} is not on the hub under test (${under.url})`)
  return `${url.pathname}${url.search}`
}

/** A JSON API call with a bearer token, through supertest; the same answer shape as hub-process's `api`. */
export async function api (under: AppUnderTest, method: string, pathname: string, token?: string, body?: unknown): Promise<{ status: number, json: any }> {
  let req = request(under.app)[method.toLowerCase() as 'get'](pathOn(under, pathname))
  if (token) req = req.set('Authorization', `Bearer ${token}`)
  if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body))
  const res = await req
  return { status: res.status, json: res.text ? JSON.parse(res.text) : null }
}

/** GETs an ActivityPub document (by path or by its id under HUB_URL) as JSON. */
export async function getActivityJson (under: AppUnderTest, target: string): Promise<any> {
  const res = await request(under.app).get(pathOn(under, target)).set('Accept', 'application/activity+json')
  return JSON.parse(res.text)
}

/** GETs any JSON document (by path or by its URL under HUB_URL). */
export async function getJson (under: AppUnderTest, target: string): Promise<any> {
  const res = await request(under.app).get(pathOn(under, target))
  return JSON.parse(res.text)
}

/** What `fetchApp` sends: the parts of fetch's options the tests use. */
export interface AppRequest {
  method?: string
  headers?: Record<string, string>
  body?: string
}

/** Statuses whose answer has no body (a `Response` refuses one). */
const NO_BODY = new Set([101, 204, 205, 304])

/**
 * A request through supertest answered as fetch answers (a `Response`), so a test written
 * against `fetch` reads the status, headers and body the same way.
 */
export async function fetchApp (under: AppUnderTest, target: string, init: AppRequest = {}): Promise<Response> {
  let req = request(under.app)[(init.method ?? 'GET').toLowerCase() as 'get'](pathOn(under, target))
  for (const [name, value] of Object.entries(init.headers ?? {})) req = req.set(name, value)
  if (init.body !== undefined) req = req.send(init.body)
  // The raw bytes, whatever the type: the Response decodes them as the test asks.
  const res = await req.buffer(true).parse((stream, done) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => done(null, Buffer.concat(chunks)))
    stream.on('error', done)
  })
  const headers = new Headers()
  for (const [name, value] of Object.entries(res.headers as Record<string, string | string[]>)) {
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  return new Response(NO_BODY.has(res.status) ? null : res.body as Buffer, { status: res.status, headers })
}
