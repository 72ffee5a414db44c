import cliProgress from 'cli-progress'
import { HubConfig, loadConfig } from '../config/config'
import { AppError, ValidationError } from '../errors/app-errors'
import { ConfigError } from '../errors/config-error'

/**
 * Runs a command that works on the store's files rather than through the hub's services
 * (backup, restore, migrate): reads the configuration like the server, prints `Error: …` and
 * answers 1 for an error the person can act on, 2 for a bad configuration value.
 */
export async function runStoreCommand (out: (line: string) => void, work: (config: HubConfig) => Promise<number | void>): Promise<number> {
  let config: HubConfig
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) { out(`Configuration error: ${err.message}`); return 2 }
    throw err
  }
  try {
    return (await work(config)) ?? 0
  } catch (err) {
    if (err instanceof AppError) { out(`Error: ${err.message}`); return 1 }
    throw err
  }
}

/** A progress bar on the terminal (shown only when stderr is one); `update` takes done and total. */
export function progressBar (label: string): { update: (done: number, total: number, detail?: string) => void, stop: () => void } {
  const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% {detail}`, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic)
  let started = false
  return {
    update: (done, total, detail = '') => {
      if (!started) { bar.start(Math.max(total, 1), 0, { detail }); started = true }
      bar.setTotal(Math.max(total, 1))
      bar.update(done, { detail })
    },
    stop: () => { if (started) bar.stop() }
  }
}

/**
 * Refuses a command that works on the SQLite file when HUB_DATABASE_URL names a PostgreSQL
 * store: that store is backed up and restored with PostgreSQL's own tools.
 */
export function refuseOnPostgres (config: HubConfig, command: string, instead: string): void {
  if (config.databaseUrl === null) return
  throw new ValidationError(`${command} works on the SQLite database in DATA_DIR, but HUB_DATABASE_URL makes this hub's store PostgreSQL; ${instead} (see "Backups of a PostgreSQL store" in docs/scaling.md)`)
}
