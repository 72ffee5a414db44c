import fs from 'fs'
import path from 'path'
import type { Command } from 'commander'
import type { HubConfig } from '../config/config'
import { ValidationError } from '../errors/app-errors'
import { presenceTiming } from '../processes/process-presence'
import { copyStore } from '../store/transfer/copy-between-stores'
import type { TableCount } from '../store/transfer/store-copy'
import { inspectHubDatabase } from '../store/transfer/hub-database'
import { holdsHubSchema, storedHubUrl } from '../store/transfer/store-readings'
import { describeStore, parseStoreUrl, sameStore, type StoreTarget } from '../store/transfer/store-url'
import { refuseWhileHubsRun } from './running-hubs'
import { progressBar, runStoreCommand } from './store-command'

/**
 * `ioocloud-hub migrate [--from <store URL>] --to <store URL>`: copies everything from one store
 * (by default the configured one) to another, SQLite or PostgreSQL either way, with a progress
 * bar, then compares the row count of every table; exits 1 on a mismatch.
 */
export function addMigrateCommand (program: Command, out: (line: string) => void, setExitCode: (code: number) => void): void {
  program.command('migrate')
    .description('Copy everything in a store (by default the configured one) to another, SQLite or PostgreSQL, then check the counts; stop the hubs first')
    .option('--from <url>', 'the source store: sqlite:<path> or postgres://… (default: HUB_DATABASE_URL when set, else DATA_DIR/hub.sqlite)')
    .requiredOption('--to <url>', 'the target store: sqlite:<path> (a new file) or postgres://USER:PASSWORD@HOST/DATABASE (an empty database the role owns)')
    .option('--force', 'replace what the target holds')
    .action(async (opts: { from?: string, to: string, force?: boolean }) => {
      setExitCode(await runStoreCommand(out, async config => {
        const source = opts.from === undefined ? configuredStore(config) : parseStoreUrl(opts.from, process.cwd(), '--from')
        const target = parseStoreUrl(opts.to)
        if (source.kind === 'sqlite') {
          if (!fs.existsSync(source.file)) throw new ValidationError(opts.from === undefined ? `There is no hub database in DATA_DIR (${config.dataDir})` : `There is no hub database at ${source.file}`)
          inspectHubDatabase(source.file)
        } else if (!await holdsHubSchema(source)) {
          throw new ValidationError(`${describeStore(source)} holds no hub (it has no schema_migrations table); --from must name a hub's store`)
        }
        if (sameStore(source, target)) throw new ValidationError(`The target is the source itself (${describeStore(source)})`)
        if (target.kind === 'sqlite' && !fs.existsSync(path.dirname(target.file))) throw new ValidationError(`The folder ${path.dirname(target.file)} does not exist`)
        await refuseWhileHubsRun([source, target], presenceTiming(config.processHeartbeatMs).staleMs)

        const bar = progressBar('migrate')
        let counts: TableCount[]
        try {
          counts = await copyStore(source, target, { force: opts.force === true, onProgress: p => bar.update(p.done, p.total, p.table) })
        } finally {
          bar.stop()
        }
        return report(counts, source, target, await storedHubUrl(target), out)
      }))
    })
}

/** The store the configuration names: HUB_DATABASE_URL, else the SQLite file in DATA_DIR. */
function configuredStore (config: HubConfig): StoreTarget {
  return config.databaseUrl !== null ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'sqlite', file: path.join(config.dataDir, 'hub.sqlite') }
}

/** Prints the count of every table (and of local actors' keys) on both sides and what to start the hub with; 1 on a mismatch. */
function report (counts: TableCount[], source: StoreTarget, target: StoreTarget, hubUrl: string | null, out: (line: string) => void): number {
  const width = Math.max(...counts.map(c => c.table.length))
  for (const c of counts) out(`${c.table.padEnd(width)}  ${String(c.source).padStart(7)} → ${String(c.target).padStart(7)}  ${c.source === c.target ? 'ok' : 'MISMATCH'}`)
  const mismatched = counts.filter(c => c.source !== c.target)
  if (mismatched.length > 0) {
    out(`Count check failed for ${mismatched.map(c => c.table).join(', ')}: the copy in ${describeStore(target)} is incomplete`)
    return 1
  }
  const start = target.kind === 'postgres' ? 'HUB_DATABASE_URL set to the target' : `DATA_DIR holding it as hub.sqlite (and HUB_DATABASE_URL unset)`
  out(hubUrl === null
    ? `No HUB_URL is recorded in the store yet: start the hub on it with ${start} and the HUB_URL its actors' ids begin with.`
    : `The store records HUB_URL ${hubUrl}: start the hub on it with ${start} and HUB_URL=${hubUrl}.`)
  const tables = counts.filter(c => c.check !== true)
  const rows = tables.reduce((a, c) => a + c.source, 0)
  out(`Copied ${rows} rows in ${tables.length} tables from ${describeStore(source)} to ${describeStore(target)}; every count matches.`)
  return 0
}
