import ActivitypubExpress, { ApexMiddleware } from 'activitypub-express'
import type { Logger } from '../log/logger'
import type { HubStore } from '../store/store.port'
import { FastCompaction } from './jsonld/fast-compact'
import { hubContextTerms } from './jsonld/hub-context'
import { ROUTES } from './routes/route-paths'

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
  const stringify = apex.stringifyPublicJSONLD
  apex.stringifyPublicJSONLD = node => stringify(withFullPublicAddress(node))
  return apex
}

const AUDIENCE_KEYS = ['to', 'cc', 'bto', 'bcc', 'audience']
const PUBLIC_IRI = 'https://www.w3.org/ns/activitystreams#Public'

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
      out[key] = Array.isArray(value) ? value.map(v => v === 'as:Public' ? PUBLIC_IRI : v) : value === 'as:Public' ? PUBLIC_IRI : value
    } else {
      out[key] = withFullPublicAddress(value)
    }
  }
  return out
}

/** The first value of an apex property (apex keeps every property as an array). */
export function first<T = unknown> (value: unknown): T | undefined {
  return (Array.isArray(value) ? value[0] : value) as T | undefined
}

/** The id of an apex value that is an IRI string or a node. */
export function idOf (value: unknown): string | undefined {
  const v = first(value)
  if (typeof v === 'string') return v
  if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') return (v as { id: string }).id
  return undefined
}

/** A finite number from a JSON-LD value: a number, a numeric string, or a `{"@value": …}` literal. */
export function numberOf (value: unknown): number | undefined {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>)['@value'] : value
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
  return Number.isFinite(n) ? n : undefined
}

/** True when an apex node's type (string or array) includes `type`. */
export function hasType (node: { type?: unknown } | null | undefined, type: string): boolean {
  const t = node?.type
  return Array.isArray(t) ? t.includes(type) : t === type
}
