import { Command, Option } from 'commander'
import type { WithHub } from './domain-block.command'

/** What `coop create` was given on the command line. */
interface CoopCreateOptions {
  name: string
  summary?: string
  url?: string
  icon?: string
  followPolicy?: string
  tokenOnly?: boolean
}

/**
 * `ioocloud-hub coop create|list|delete`: registering, listing and deleting co-ops, the same as
 * `POST`, `GET` and `DELETE /api/v1/coops`. `create --token-only` prints the token alone so that
 * `TOKEN=$(npx ioocloud-hub coop create … --token-only)` works; `delete` asks for `--yes`.
 */
export function addCoopCommands (coop: Command, withHub: WithHub, out: (line: string) => void, setExitCode: (code: number) => void): void {
  coop.command('create')
    .description('Register a co-op, create its actor and print its API token')
    .argument('<username>', 'lower-case handle: letters, digits and _ (used in username@host)')
    .requiredOption('--name <name>', 'display name')
    .option('--summary <text>', 'one-paragraph description')
    .option('--url <url>', 'the co-op\'s website')
    .option('--icon <url>', 'URL of a square logo')
    .addOption(new Option('--follow-policy <policy>', 'accept follows at once or after approval').choices(['automatic', 'approval']))
    .option('--token-only', 'print only the token (for TOKEN=$(…))')
    .action(async (username: string, opts: CoopCreateOptions) => {
      setExitCode(await withHub(async hub => {
        const body: Record<string, unknown> = { username, name: opts.name }
        for (const key of ['summary', 'url', 'icon', 'followPolicy'] as const) if (opts[key] !== undefined) body[key] = opts[key]
        const created = await hub.coops.create(body)
        if (opts.tokenOnly) return out(created.token)
        out(`Created co-op ${created.username}: ${created.id}`)
        out(`API token for this co-op (shown once, keep it safe):\n  ${created.token}`)
      }))
    })

  coop.command('list')
    .description('List the co-ops of this hub')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      setExitCode(await withHub(async hub => {
        const coops = await hub.coops.list()
        if (opts.json) return out(JSON.stringify({ items: coops }, null, 2))
        if (coops.length === 0) out('No co-op is registered on this hub yet (ioocloud-hub coop create <username> --name <name>).')
        for (const c of coops) out(`${c.username}\t${c.name}\t${c.id}`)
      }))
    })

  coop.command('delete')
    .description('Delete a co-op: followers receive a Delete of its actor; its id then answers 410 and its username is never reused')
    .argument('<username>', 'the co-op\'s handle')
    .option('--yes', 'confirm: this cannot be undone')
    .action(async (username: string, opts: { yes?: boolean }) => {
      if (!opts.yes) {
        out(`Deleting co-op ${username} cannot be undone: its followers drop it, its services go and its username is never reused. Run again with --yes to delete it.`)
        setExitCode(1)
        return
      }
      setExitCode(await withHub(async hub => {
        const id = await hub.coops.delete(username.toLowerCase())
        out(`Deleted co-op ${username.toLowerCase()}: ${id} now answers 410; a Delete is queued for its followers.`)
      }))
    })
}
