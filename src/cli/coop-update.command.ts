import { Command, Option } from 'commander'
import type { WithHub } from './domain-block.command'

/** What `coop update` was given on the command line. */
interface CoopUpdateOptions {
  name?: string
  summary?: string
  url?: string
  icon?: string
  followPolicy?: string
  location?: string
  country?: string
  latitude?: string
  longitude?: string
  languages?: string
  remove?: string[]
}

/**
 * `ioocloud-hub coop update <username> [--name …]`: the co-op profile edit of
 * `PATCH /api/v1/coops/:username` from the command line (same checks, same Update to followers).
 * Location options change only the parts given; `--remove url|icon|location` drops a field.
 */
export function addCoopUpdateCommand (coop: Command, withHub: WithHub, out: (line: string) => void, setExitCode: (code: number) => void): void {
  coop.command('update')
    .description('Edit a co-op\'s profile and send an Update of its actor to its followers')
    .argument('<username>', 'the co-op\'s handle')
    .option('--name <name>', 'display name')
    .option('--summary <text>', 'one-paragraph description ("" clears it)')
    .option('--url <url>', 'the co-op\'s website')
    .option('--icon <url>', 'URL of a square logo')
    .addOption(new Option('--follow-policy <policy>', 'accept follows at once or after approval').choices(['automatic', 'approval']))
    .option('--location <name>', 'address or town, as people write it')
    .option('--country <code>', 'ISO 3166-1 alpha-2 country code, e.g. DE')
    .option('--latitude <number>', 'latitude in degrees')
    .option('--longitude <number>', 'longitude in degrees')
    .option('--languages <codes>', 'comma-separated ISO 639-1 codes, e.g. de,en ("" clears them)')
    .addOption(new Option('--remove <field...>', 'remove a field').choices(['url', 'icon', 'location']))
    .action(async (username: string, opts: CoopUpdateOptions) => {
      setExitCode(await withHub(async hub => {
        const body: Record<string, unknown> = {}
        for (const key of ['name', 'summary', 'url', 'icon', 'followPolicy'] as const) if (opts[key] !== undefined) body[key] = opts[key]
        if (opts.languages !== undefined) body.languages = opts.languages.split(',').map(l => l.trim()).filter(Boolean)
        const place = { name: opts.location, country: opts.country, latitude: numeric(opts.latitude), longitude: numeric(opts.longitude) }
        if (Object.values(place).some(v => v !== undefined)) {
          const current = (await hub.coops.view(username.toLowerCase())).location ?? {}
          body.location = { ...current, ...Object.fromEntries(Object.entries(place).filter(([, v]) => v !== undefined)) }
        }
        for (const field of opts.remove ?? []) body[field] = null
        const view = await hub.coops.update(username.toLowerCase(), body)
        out(`Updated co-op ${view.username}: ${view.name}`)
        out('An Update of its actor is queued for its followers.')
      }))
    })
}

/** A number when the text is one; otherwise the text, so that the schema names the field. */
function numeric (value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  return value.trim() !== '' && Number.isFinite(n) ? n : value
}
