import fs from 'fs'
import path from 'path'
import type { Command } from 'commander'
import { ConflictError, ValidationError } from '../errors/app-errors'
import { inspectHubDatabase } from '../store/transfer/hub-database'
import { backupDatabase } from '../store/transfer/sqlite-backup'
import { progressBar, refuseOnPostgres, runStoreCommand } from './store-command'

/** `ioocloud-hub backup <file>`: a consistent snapshot of the hub database, also while hubs run on it. */
export function addBackupCommand (program: Command, out: (line: string) => void, setExitCode: (code: number) => void): void {
  program.command('backup')
    .description('Write a consistent snapshot of the hub database (DATA_DIR/hub.sqlite) to <file>; safe while the hub runs')
    .argument('<file>', 'where to write the snapshot (a single SQLite file)')
    .option('--force', 'replace <file> if it exists')
    .action(async (file: string, opts: { force?: boolean }) => {
      setExitCode(await runStoreCommand(out, async config => {
        refuseOnPostgres(config, 'ioocloud-hub backup', 'back it up with pg_dump')
        const source = path.join(config.dataDir, 'hub.sqlite')
        const target = path.resolve(file)
        if (!fs.existsSync(source)) throw new ValidationError(`There is no hub database in DATA_DIR (${config.dataDir})`)
        if (fs.existsSync(target) && opts.force !== true) throw new ConflictError(`${target} already exists; choose a new file, or add --force to replace it`)
        if (!fs.existsSync(path.dirname(target))) throw new ValidationError(`The folder ${path.dirname(target)} does not exist`)
        const bar = progressBar('backup')
        try {
          await backupDatabase(source, target, p => bar.update(p.done, p.total, 'pages'))
        } finally {
          bar.stop()
        }
        const info = inspectHubDatabase(target)
        const rows = Object.values(info.counts).reduce((a, b) => a + b, 0)
        out(`Backed up ${rows} rows in ${Object.keys(info.counts).length} tables (schema version ${info.versions.at(-1)}) to ${target}`)
      }))
    })
}
