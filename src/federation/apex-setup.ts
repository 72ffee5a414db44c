import ActivitypubExpress, { ApexMiddleware } from 'activitypub-express'
import type { Logger } from '../log/logger'
import type { HubStore } from '../store/store.port'
import { FastCompaction } from './jsonld/fast-compact'
import { hubContextTerms } from './jsonld/hub-context'
import { ROUTES } from './routes/route-paths'
import { AS_PUBLIC } from '../domain/activity-streams/nodes'

export type Apex = ApexMiddleware

/** What apex needs from the rest of the hub. */
export interface ApexDeps {
  hubUrl: string
  version: string
  store: HubStore
  logger: Logger
  documentLoader: (url: string) => Promise<{ contextUrl: null, documentUrl: string, document: unknown }>
}

/**
 * Creates the activitypub-express instance: routes, the hub context (so our terms stay short
 * names), and our store. Its network parts (fetching, delivery) are replaced by the hub's own in
 * `federation.ts`; `offlineMode` keeps apex's own delivery loop from ever starting.
 */
export function createApex (deps: ApexDeps): Apex {
  const log = deps.logger.child({ component: 'apex' })
  const apex = ActivitypubExpress({
    name: 'ioocloud-hub',
    version: deps.version,
    baseUrl: deps.hubUrl,
    actorParam: 'actor',
    objectParam: 'id',
    activityParam: 'id',
    routes: { ...ROUTES },
    context: hubContextTerms(),
    store: deps.store,
    offlineMode: true,
    // apex resolves reply threads this deep; the hub's objects are not threads.
    threadDepth: 1,
    logger: {
      info: (...args: unknown[]) => log.debug(args.map(String).join(' ')),
      warn: (...args: unknown[]) => log.warn(args.map(String).join(' ')),
      error: (...args: unknown[]) => log.error(args.map(String).join(' '))
    }
  })
  apex.jsonldContextLoader = deps.documentLoader
  // The same compaction without jsonld.js where it is provably the same (fast-compact.ts).
  const fast = new FastCompaction(apex.context, deps.documentLoader)
  const slowFromJsonLd = apex.fromJSONLD
  apex.fromJSONLD = async doc => (await fast.compact(doc) as Awaited<ReturnType<Apex['fromJSONLD']>> | null) ?? await slowFromJsonLd(doc)
  fastCompactions.set(apex, fast)
  const stringify = apex.stringifyPublicJSONLD
  apex.stringifyPublicJSONLD = node => stringify(withFullPublicAddress(node))
  return apex
}

/** Each apex instance's fast compaction, for `compactedNow`. */
const fastCompactions = new WeakMap<Apex, FastCompaction>()

/**
 * What `apex.fromJSONLD(doc)` would resolve to, given at once when the fast compaction already
 * knows everything the document needs (`FastCompaction.compactNow`); undefined otherwise.
 */
export function compactedNow (apex: Apex, doc: Record<string, unknown>): Record<string, unknown> | undefined {
  return fastCompactions.get(apex)?.compactNow(doc)
}

const AUDIENCE_KEYS = ['to', 'cc', 'bto', 'bcc', 'audience']

/**
 * Compaction writes the public address as `as:Public`; some peers only recognise the full IRI,
 * so documents leave the hub with the full IRI in their audience (nested objects included).
 */
export function withFullPublicAddress (node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withFullPublicAddress)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (AUDIENCE_KEYS.includes(key)) {
      out[key] = Array.isArray(value) ? value.map(v => v === 'as:Public' ? AS_PUBLIC : v) : value === 'as:Public' ? AS_PUBLIC : value
    } else {
      out[key] = withFullPublicAddress(value)
    }
  }
  return out
}
