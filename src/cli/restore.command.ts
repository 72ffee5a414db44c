import fs from 'fs'
import path from 'path'
import Database from 'better-sqlite3'
import type { Command } from 'commander'
import { ConflictError, ValidationError } from '../errors/app-errors'
import { machineId, pidIsRunning } from '../processes/process-identity'
import { SqliteStore } from '../store/sqlite/sqlite.store'
import { inspectHubDatabase } from '../store/transfer/hub-database'
import { backupDatabase } from '../store/transfer/sqlite-backup'
import { ensurePrivateDir } from '../store/private-files'
import { progressBar, refuseOnPostgres, runStoreCommand } from './store-command'

/**
 * `ioocloud-hub restore <file>`: a backup into DATA_DIR, which must be empty (or, with
 * --force, hold no running hub). The file is checked first: a hub database, intact, at
 * migration versions this hub knows; older ones are brought up to date.
 */
export function addRestoreCommand (program: Command, out: (line: string) => void, setExitCode: (code: number) => void): void {
  program.command('restore')
    .description('Restore a backup into DATA_DIR (a fresh, empty folder); start the hub with the same HUB_URL afterwards')
    .argument('<file>', 'a file written by ioocloud-hub backup')
    .option('--force', 'replace the database in a DATA_DIR that is not empty (stop its hub first)')
    .action(async (file: string, opts: { force?: boolean }) => {
      setExitCode(await runStoreCommand(out, async config => {
        refuseOnPostgres(config, 'ioocloud-hub restore', 'restore a pg_dump file with pg_restore')
        const backup = path.resolve(file)
        if (!fs.existsSync(backup)) throw new ValidationError(`There is no file ${backup}`)
        const info = inspectHubDatabase(backup)
        const dataDir = config.dataDir
        const target = path.join(dataDir, 'hub.sqlite')
        if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
          if (opts.force !== true) throw new ConflictError(`DATA_DIR (${dataDir}) is not empty; restore into a fresh folder, or add --force to replace its database`)
          refuseIfRunning(target)
          for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true })
        }
        ensurePrivateDir(dataDir)
        const bar = progressBar('restore')
        try {
          await backupDatabase(backup, target, p => bar.update(p.done, p.total, 'pages'), { readonly: true })
        } finally {
          bar.stop()
        }
        // Migrations newer than the backup run now, not at the hub's first start.
        await new SqliteStore(target).close()
        const rows = Object.values(info.counts).reduce((a, b) => a + b, 0)
        out(`Restored ${rows} rows in ${Object.keys(info.counts).length} tables from ${backup} into ${dataDir}`)
        const origins = localOrigins(target)
        if (origins.length > 0 && !origins.includes(config.hubUrl)) {
          out(`Warning: the backup's actors are at ${origins.join(', ')}, not at HUB_URL (${config.hubUrl}); start the hub with HUB_URL=${origins[0]}`)
        }
      }))
    })
}

/** Refuses to replace a database a hub process on this machine is using. */
function refuseIfRunning (file: string): void {
  if (!fs.existsSync(file)) return
  const db = new Database(file, { readonly: true })
  try {
    const hasRegistry = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hub_processes'").get() !== undefined
    const live = hasRegistry
      ? db.prepare<[string], { pid: number }>('SELECT pid FROM hub_processes WHERE machine = ?').all(machineId()).filter(p => pidIsRunning(p.pid))
      : []
    if (live.length > 0) throw new ConflictError(`A hub process (pid ${live.map(p => p.pid).join(', ')}) is running on this DATA_DIR; stop it before restoring`)
  } finally {
    db.close()
  }
}

/** The origins of the local actors in a hub database (its HUB_URL). */
function localOrigins (file: string): string[] {
  const db = new Database(file, { readonly: true })
  try {
    const ids = db.prepare<[], { id: string }>('SELECT id FROM objects WHERE local_actor = 1').all()
    return [...new Set(ids.map(r => { try { return new URL(r.id).origin } catch { return null } }).filter((o): o is string => o !== null))]
  } finally {
    db.close()
  }
}
