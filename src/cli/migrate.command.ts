import fs from 'fs'
import path from 'path'
import type { Command } from 'commander'
import { ValidationError } from '../errors/app-errors'
import { copySqliteStore } from '../store/transfer/store-copy'
import { parseStoreUrl } from '../store/transfer/store-url'
import { progressBar, refuseOnPostgres, runStoreCommand } from './store-command'

/**
 * `ioocloud-hub migrate --to <store URL>`: copies everything from the current store to
 * another, with a progress bar, then compares the row count of every table; exits 1 on a mismatch.
 */
export function addMigrateCommand (program: Command, out: (line: string) => void, setExitCode: (code: number) => void): void {
  program.command('migrate')
    .description('Copy everything in the current store (DATA_DIR) to another store, then check the counts')
    .requiredOption('--to <url>', 'the target store: sqlite:<path> (MongoDB is not available in this build)')
    .option('--force', 'replace the target if it exists')
    .action(async (opts: { to: string, force?: boolean }) => {
      setExitCode(await runStoreCommand(out, async config => {
        refuseOnPostgres(config, 'ioocloud-hub migrate', 'copying a PostgreSQL store elsewhere is not available in this build; pg_dump and pg_restore copy it to another PostgreSQL database')
        const target = parseStoreUrl(opts.to)
        const source = path.join(config.dataDir, 'hub.sqlite')
        if (!fs.existsSync(source)) throw new ValidationError(`There is no hub database in DATA_DIR (${config.dataDir})`)
        if (path.resolve(target.file) === path.resolve(source)) throw new ValidationError('The target is the current store itself')
        if (!fs.existsSync(path.dirname(target.file))) throw new ValidationError(`The folder ${path.dirname(target.file)} does not exist`)
        const bar = progressBar('migrate')
        let counts
        try {
          counts = await copySqliteStore(source, target.file, { force: opts.force === true, onProgress: p => bar.update(p.done, p.total, p.table) })
        } finally {
          bar.stop()
        }
        const width = Math.max(...counts.map(c => c.table.length))
        for (const c of counts) out(`${c.table.padEnd(width)}  ${String(c.source).padStart(7)} → ${String(c.target).padStart(7)}  ${c.source === c.target ? 'ok' : 'MISMATCH'}`)
        const mismatched = counts.filter(c => c.source !== c.target)
        if (mismatched.length > 0) {
          out(`Count check failed for ${mismatched.map(c => c.table).join(', ')}: the copy in ${target.file} is incomplete`)
          return 1
        }
        const rows = counts.reduce((a, c) => a + c.source, 0)
        out(`Copied ${rows} rows in ${counts.length} tables to ${target.file}; every count matches.`)
      }))
    })
}
