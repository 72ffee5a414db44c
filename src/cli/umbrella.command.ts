import { Command, Option } from 'commander'
import type { WithHub } from './domain-block.command'

const POLICIES = ['open', 'approval', 'vote']

/**
 * `ioocloud-hub umbrella create|update|list`: the umbrella routes of the API from the command
 * line, with the same checks (the admin token's rights) and the same Update to followers.
 */
export function addUmbrellaCommands (program: Command, withHub: WithHub, out: (line: string) => void, setExitCode: (code: number) => void): void {
  const umbrella = program.command('umbrella').description('Manage umbrella organisations hosted on this hub')

  umbrella.command('create')
    .description('Register an umbrella, create its actor and print its API token')
    .argument('<username>', 'lower-case handle: letters, digits and _ (shared with co-ops)')
    .requiredOption('--name <name>', 'display name')
    .option('--summary <text>', 'one-paragraph description')
    .option('--url <url>', 'the umbrella\'s website')
    .addOption(new Option('--membership-policy <policy>', 'how a Join is answered').choices(POLICIES).makeOptionMandatory())
    .action(async (username: string, opts: { name: string, summary?: string, url?: string, membershipPolicy: string }) => {
      setExitCode(await withHub(async hub => {
        const body: Record<string, unknown> = { username, name: opts.name, membershipPolicy: opts.membershipPolicy }
        for (const key of ['summary', 'url'] as const) if (opts[key] !== undefined) body[key] = opts[key]
        const created = await hub.umbrellas.create(body)
        out(`Created umbrella ${created.username}: ${created.id}`)
        out(`API token for this umbrella (shown once, keep it safe):\n  ${created.token}`)
      }))
    })

  umbrella.command('update')
    .description('Change an umbrella\'s name, summary or membership policy and send an Update of its actor')
    .argument('<username>', 'the umbrella\'s handle')
    .option('--name <name>', 'display name')
    .option('--summary <text>', 'one-paragraph description ("" clears it)')
    .addOption(new Option('--membership-policy <policy>', 'how a Join is answered').choices(POLICIES))
    .action(async (username: string, opts: { name?: string, summary?: string, membershipPolicy?: string }) => {
      setExitCode(await withHub(async hub => {
        const body: Record<string, unknown> = {}
        for (const key of ['name', 'summary', 'membershipPolicy'] as const) if (opts[key] !== undefined) body[key] = opts[key]
        const view = await hub.umbrellas.update(username.toLowerCase(), body)
        out(`Updated umbrella ${view.username}: ${view.name} (${view.membershipPolicy})`)
      }))
    })

  umbrella.command('list')
    .description('List the umbrellas on this hub with their policy and number of members')
    .action(async () => {
      setExitCode(await withHub(async hub => {
        const items = await hub.umbrellas.list()
        if (items.length === 0) out('No umbrellas on this hub.')
        for (const u of items) out(`${u.username}\t${u.membershipPolicy}\t${u.members} members\t${u.id}`)
      }))
    })
}
