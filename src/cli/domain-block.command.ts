import type { Command } from 'commander'
import type { HubContext } from '../hub-context'

/** Runs `work` with the hub's parts open and answers the exit code (the CLI's `withHub`). */
export type WithHub = (work: (hub: HubContext) => Promise<void>) => Promise<number>

/**
 * `ioocloud-hub domain-block add|list|remove <domain>`: the admin's domain blocks from the
 * command line, the same as the admin API. `setExitCode` receives each command's exit code.
 */
export function addDomainBlockCommands (program: Command, withHub: WithHub, out: (line: string) => void, setExitCode: (code: number) => void): void {
  const blocks = program.command('domain-block').description('Refuse inbound requests from a domain and stop everything outbound to it')
  blocks.command('add')
    .description('Block a domain and its subdomains (or host:port for one origin)')
    .argument('<domain>', 'e.g. spam.example')
    .option('--reason <text>', 'why, for the other admins')
    .action(async (domain: string, opts: { reason?: string }) => {
      setExitCode(await withHub(async hub => {
        const block = await hub.domainBlocks.add(opts.reason === undefined ? { domain } : { domain, reason: opts.reason })
        out(`${block.created ? 'Blocked' : 'Already blocked (reason updated)'}: ${block.domain}`)
        if (block.deliveriesEnded > 0) out(`Ended ${block.deliveriesEnded} queued deliveries to it.`)
      }))
    })
  blocks.command('list')
    .description('List blocked domains')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      setExitCode(await withHub(async hub => {
        const list = await hub.domainBlocks.list()
        if (opts.json) return out(JSON.stringify({ items: list }, null, 2))
        if (list.length === 0) out('No domain is blocked.')
        for (const b of list) out(`${b.domain}\t${b.createdAt}${b.reason ? `\t${b.reason}` : ''}`)
      }))
    })
  blocks.command('remove')
    .description('Lift the block of a domain')
    .argument('<domain>', 'as listed by domain-block list')
    .action(async (domain: string) => {
      setExitCode(await withHub(async hub => {
        out(await hub.domainBlocks.remove(domain) ? `Unblocked: ${domain}` : `${domain} was not blocked.`)
      }))
    })
}
