import { Command } from 'commander'
import { loadConfig } from '../config/config'
import { AppError, ValidationError } from '../errors/app-errors'
import { ConfigError } from '../errors/config-error'
import { recordedHubUrl } from '../store/recorded-hub-url'
import { createHubContext } from '../hub-context'
import { createLogger } from '../log/logger'
import { openConfiguredStore } from '../store/open-store'
import { ProcessPresence } from '../processes/process-presence'
import { addCoopCommands } from './coop.commands'
import { addCoopUpdateCommand } from './coop-update.command'
import { addFollowCommands } from './follow.commands'
import { addServiceCommands } from './service.commands'
import { addDomainBlockCommands } from './domain-block.command'
import { addSyncCommands } from './sync.commands'
import { addBackupCommand } from './backup.command'
import { addRestoreCommand } from './restore.command'
import { addMigrateCommand } from './migrate.command'
import { addUmbrellaCommands } from './umbrella.command'

/** Runs one CLI command against the hub's store (same DATA_DIR and HUB_URL as the server). */
export async function runCli (argv: string[], out: (line: string) => void = line => process.stdout.write(line + '\n')): Promise<number> {
  const program = new Command()
  program
    .name('ioocloud-hub')
    .description('Administer an IoOCloud Hub. Reads DATA_DIR and HUB_URL like the server does: run it with the same environment.')
    .exitOverride()
    .configureOutput({ writeOut: s => out(s.trimEnd()), writeErr: s => out(s.trimEnd()) })

  let exitCode = 0
  const coop = program.command('coop').description('Manage co-ops hosted on this hub')
  addCoopCommands(coop, work => withHub(out, work), out, code => { exitCode = code })
  addCoopUpdateCommand(coop, work => withHub(out, work), out, code => { exitCode = code })
  addUmbrellaCommands(program, work => withHub(out, work), out, code => { exitCode = code })
  addDomainBlockCommands(program, work => withHub(out, work), out, code => { exitCode = code })
  addFollowCommands(program, work => withHub(out, work), out, code => { exitCode = code })
  addServiceCommands(program, work => withHub(out, work), out, code => { exitCode = code })
  addSyncCommands(program, work => withHub(out, work), out, code => { exitCode = code })
  addBackupCommand(program, out, code => { exitCode = code })
  addRestoreCommand(program, out, code => { exitCode = code })
  addMigrateCommand(program, out, code => { exitCode = code })

  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode
    return typeof code === 'number' ? code : 1
  }
  return exitCode
}

/** Opens the store and the hub's services for one command, then closes them; maps errors to exit codes. */
async function withHub (out: (line: string) => void, work: (hub: Awaited<ReturnType<typeof createHubContext>>) => Promise<void>): Promise<number> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) { out(`Configuration error: ${err.message}`); return 2 }
    throw err
  }
  let store
  try {
    store = await openConfiguredStore(config)
  } catch (err) {
    out(`Error: cannot open the hub's store: ${(err as Error).message}`)
    return 1
  }
  let presence: ProcessPresence | null = null
  try {
    // With neither HUB_URL nor PORT set, the URL the hub was set up with: the same ids the server makes.
    const recorded = process.env.HUB_URL === undefined && process.env.PORT === undefined ? await recordedHubUrl(store) : null
    if (recorded !== null) config = { ...config, hubUrl: recorded }
    const hub = await createHubContext(config, store, createLogger('warn', config.logFormat))
    // Registered like a hub process: running hubs leave the deliveries this command sends alone.
    presence = new ProcessPresence(store, hub.logger)
    await presence.register()
    presence.start()
    await work(hub)
    await hub.delivery.stop()
    await hub.client.close()
    return 0
  } catch (err) {
    if (err instanceof ValidationError && err.fields) {
      out(`Error: ${err.message}`)
      return 1
    }
    if (err instanceof AppError) { out(`Error: ${err.message}`); return 1 }
    if (err instanceof ConfigError) { out(`Configuration error: ${err.message}`); return 2 }
    throw err
  } finally {
    await presence?.leave()
    await store.close()
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(code => process.exit(code), err => {
    process.stderr.write(`Unexpected error: ${(err as Error).stack}\n`)
    process.exit(1)
  })
}
