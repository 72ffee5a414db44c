import type { Command } from 'commander'
import type { WithHub } from './domain-block.command'

/** What `service put` was given on the command line. */
interface ServicePutOptions {
  name: string
  category: string
  url: string
  access: string
  summary?: string
  software?: string
  dataLocation?: string
}

/**
 * `ioocloud-hub service put|list|delete`: a co-op's hosted services, the same as
 * `PUT`/`DELETE /api/v1/coops/:username/services/:key` and `GET /api/v1/services`.
 */
export function addServiceCommands (program: Command, withHub: WithHub, out: (line: string) => void, setExitCode: (code: number) => void): void {
  const service = program.command('service').description('Manage the services a co-op hosts (followers receive them)')
  service.command('put')
    .description('List a service or replace it; a Create or Update goes to the co-op\'s followers')
    .argument('<co-op>', 'the co-op\'s handle')
    .argument('<key>', 'lower-case slug naming the service, e.g. files')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--category <slug>', 'e.g. file-hosting, email, chat')
    .requiredOption('--url <url>', 'where members use it')
    .requiredOption('--access <access>', 'public, members or invite')
    .option('--summary <text>', 'one-paragraph description')
    .option('--software <name>', 'e.g. Nextcloud')
    .option('--data-location <country>', 'ISO 3166-1 alpha-2 code of where the data is kept')
    .action(async (username: string, key: string, opts: ServicePutOptions) => {
      setExitCode(await withHub(async hub => {
        const body: Record<string, unknown> = {}
        for (const field of ['name', 'category', 'url', 'access', 'summary', 'software', 'dataLocation'] as const) if (opts[field] !== undefined) body[field] = opts[field]
        const { id, created } = await hub.services.put(username.toLowerCase(), key, body)
        out(`${created ? 'Listed' : 'Updated'} service ${key} of ${username.toLowerCase()}: ${id}`)
      }))
    })

  service.command('list')
    .description('List the services this hub lists (a co-op\'s own with <co-op>)')
    .argument('[co-op]', 'only this co-op\'s services')
    .option('--json', 'print JSON')
    .action(async (username: string | undefined, opts: { json?: boolean }) => {
      setExitCode(await withHub(async hub => {
        const filter = username ? { actorId: (await hub.coops.require(username.toLowerCase())).actorId } : {}
        const services = await hub.services.list(filter)
        if (opts.json) return out(JSON.stringify({ items: services }, null, 2))
        if (services.length === 0) out('No service is listed.')
        for (const s of services) out(`${s.id}\t${s.name}\t${s.category}\t${s.url}\t${s.local ? 'local' : `from ${s.actor.id}`}`)
      }))
    })

  service.command('delete')
    .description('Remove a service; a Delete goes to the co-op\'s followers')
    .argument('<co-op>', 'the co-op\'s handle')
    .argument('<key>', 'the service\'s key')
    .action(async (username: string, key: string) => {
      setExitCode(await withHub(async hub => {
        await hub.services.remove(username.toLowerCase(), key)
        out(`Deleted service ${key} of ${username.toLowerCase()}.`)
      }))
    })
}
