import { Server } from 'http'
import { createApp } from './app'
import { ensureAdminToken } from './auth/admin-token'
import { loadConfig, HubConfig } from './config/config'
import { ConfigError } from './errors/config-error'
import { createHubContext, HubContext } from './hub-context'
import { createLogger, Logger } from './log/logger'
import { createHttpServer } from './http-server'
import { loosePermissions } from './store/private-files'
import { openConfiguredStore } from './store/open-store'
import { redactDatabaseUrl } from './config/database-url'
import { ProcessPresence, presenceTiming, WOKEN_POLL_MS } from './processes/process-presence'
import { stopHub } from './hub-shutdown'

/** A running hub: its parts and a way to stop it cleanly. */
export interface RunningHub {
  hub: HubContext
  server: Server
  stop: () => Promise<void>
}

/** Starts a hub on `config`: opens the store, ensures the admin token, serves HTTP. */
export async function startHub (config: HubConfig): Promise<RunningHub> {
  const logger = createLogger(config.logLevel, config.logFormat)
  const store = await openConfiguredStore(config, { serving: true })
  const hub = await createHubContext(config, store, logger).catch(async err => { await store.shutdown(); throw err })
  // On PostgreSQL what any process queues wakes this one's workers; polling is then a slower fallback.
  const listening = await hub.delivery.listenForWakeups().catch(err => {
    logger.warn({ err }, 'could not listen for wake-ups from other processes: polling the queues on every heartbeat')
    return false
  })
  const pollMs = config.queuePollMs ?? (listening ? WOKEN_POLL_MS : config.processHeartbeatMs)
  // Other processes may share the store (docs/scaling.md): register before claiming anything,
  // and release what processes that died held.
  const presence = new ProcessPresence(store, logger.child({ component: 'processes' }), {
    wakeDelivery: () => hub.delivery.wake(),
    replayInbox: () => hub.journal.replay(event => hub.inbox.dispatch(event))
  }, presenceTiming(config.processHeartbeatMs, pollMs))
  await presence.register()
  const app = createApp(hub)
  const server = await new Promise<Server>((resolve, reject) => {
    const s = createHttpServer(app, config.http, { request: app.request, response: app.response }).listen(config.port, () => resolve(s))
    s.once('error', reject)
  })
  // Only once the port is ours: a start that cannot serve creates and prints no token.
  const admin = await ensureAdminToken(hub.tokens, config.dataDir, config.adminToken, { sharedStore: config.databaseUrl !== null })
    .catch(async err => {
      // Refused (a shared store's token is elsewhere): leave nothing registered or open behind.
      await new Promise<void>(resolve => server.close(() => resolve()))
      await presence.leave().catch(() => {})
      await hub.client.close().catch(() => {})
      await store.shutdown()
      throw err
    })
  warnAboutLoosePermissions(config.dataDir, logger)
  if (admin.source === 'generated') {
    // Printed once, on the first start; afterwards it is only in the file.
    process.stdout.write(`\nAdmin token (shown once; also saved in ${admin.file}, readable only by you):\n\n  ${admin.token}\n\n`)
  }
  logger.info({ url: config.hubUrl, port: config.port, dataDir: config.dataDir, store: config.databaseUrl === null ? 'sqlite' : `postgresql ${redactDatabaseUrl(config.databaseUrl)}`, adminToken: admin.source === 'environment' ? 'from HUB_ADMIN_TOKEN' : `in ${admin.source === 'generated' ? admin.file : admin.file}` }, 'IoOCloud Hub is serving')
  // Each beat sends what is due (also what other or dead processes queued) and finishes
  // activities answered 2xx whose handlers a crash interrupted; the first beat runs now.
  presence.start()
  // Scheduled sync (docs/sync.md); several processes may run it on one database: each tick runs once.
  if (config.sync.scheduler) hub.sync.scheduler.start()
  let stopping: Promise<void> | null = null
  const stop = (): Promise<void> => {
    stopping ??= stopHub(hub, presence, async () => await new Promise<void>(resolve => server.close(() => resolve())))
    return stopping
  }
  return { hub, server, stop }
}

/**
 * Warns about a data folder or a file in it that other local users may read (every private key
 * is there). The hub leaves existing modes as they are: the admin may have set them on purpose.
 */
function warnAboutLoosePermissions (dataDir: string, logger: Logger): void {
  for (const loose of loosePermissions(dataDir)) {
    logger.warn({ path: loose.path, mode: loose.mode, expected: loose.expected },
      `${loose.path} has mode ${loose.mode}: other local users can read the hub's private keys; run chmod ${loose.expected} ${loose.path}`)
  }
}

async function main (): Promise<void> {
  let config: HubConfig
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Cannot start: ${err.message}\nSee docs/configuration.md for every setting.\n`)
      process.exit(2)
    }
    throw err
  }
  let running: RunningHub
  try {
    running = await startHub(config)
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (err instanceof ConfigError) {
      process.stderr.write(`Cannot start: ${err.message}\nSee docs/configuration.md for every setting.\n`)
      process.exit(2)
    }
    if (e.code === 'EADDRINUSE') {
      process.stderr.write(`Cannot start: port ${config.port} is already in use. Stop the other program or set PORT to a free port.\n`)
    } else if (e.code === 'EACCES') {
      process.stderr.write(`Cannot start: no permission for port ${config.port} or for DATA_DIR (${config.dataDir}).\n`)
    } else {
      process.stderr.write(`Cannot start: ${e.message}\n`)
    }
    process.exit(1)
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running.stop().then(() => process.exit(0), () => process.exit(1))
    })
  }
}

if (require.main === module) {
  void main()
}
