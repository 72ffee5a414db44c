import path from 'node:path'
import type JsonLd from 'jsonld'
import type { ActiveContext, TermDefinition } from 'jsonld'
import type { DocumentLoader } from './document-loader'

// The jsonld.js apex itself compacts with (its own dependency, not one of the hub's): the
// probes must ask the very library whose answers they stand in for.
const apexDir = path.dirname(require.resolve('activitypub-express/package.json'))
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonld = require(require.resolve('jsonld', { paths: [apexDir] })) as typeof JsonLd

/**
 * What jsonld.js does with one shape of value, learnt by asking it once: the fast compaction
 * (fast-compact.ts) only reproduces compaction steps that a probe showed jsonld.js taking.
 * A probe compacts a tiny document holding one key with one sample value; jsonld.js's choice
 * of output term depends only on the key's definition and the value's shape, never on the
 * value itself (the fast path checks IRI values separately), so the answer holds for every
 * value of that shape under that context.
 */

/** The shape of one value, as far as compaction's term selection can tell shapes apart. */
export type ValueClass = 'string' | 'number' | 'boolean' | 'iri' | 'ref' | 'node' | 'blank' | 'empty'

/** How a value of one class comes out: as it went in, an IRI string as `{id}`, or `{id}` as its IRI string. */
export type ValueForm = 'value' | 'id-object' | 'id-string'

/** Where a key's values of one class go in the compacted document. */
export interface KeyOutcome { outKey: string, form: ValueForm }

const PROBE = 'http://fast-compact.invalid/'
const PROBE_ID = `${PROBE}probe`
/** An absolute type IRI nothing maps: it compacts to itself and brings no scoped context. */
export const PROBE_TYPE = `${PROBE}Type`

const SAMPLES: Record<ValueClass, unknown> = {
  string: 'fast compaction probe',
  number: 7,
  boolean: true,
  iri: `${PROBE}value`,
  ref: { id: `${PROBE}ref` },
  node: { id: `${PROBE}node`, type: PROBE_TYPE },
  blank: { type: PROBE_TYPE },
  empty: []
}

/** Beyond this many answers per context, unprobed shapes take the slow path (peers choose keys and types). */
const MAX_ANSWERS = 2000

/** The compaction target (apex's context), processed once. */
export interface TargetContext {
  context: unknown
  active: ActiveContext
  /** IRIs of the terms jsonld.js may use as CURIE prefixes: an IRI value starting with one is probed, not copied. */
  prefixIris: string[]
}

/**
 * One input `@context` (or none: apex then expands with its own), processed by jsonld.js, with
 * the probe answers learnt under it. Answers are `null` where jsonld.js does something the fast
 * path does not reproduce.
 */
export class InputContext {
  private readonly keys = new Map<string, KeyOutcome | null>()
  private readonly types = new Map<string, string | null>()
  private readonly iris = new Map<string, string | null>()
  private readonly pending = new Map<string, Promise<void>>()
  private readonly implied = new Map<string, TermDefinition | null>()

  constructor (
    readonly active: ActiveContext,
    /** The `@context` value to write in probe documents; undefined when documents carry none. */
    private readonly context: unknown,
    private readonly target: TargetContext,
    private readonly documentLoader: DocumentLoader
  ) {}

  /**
   * The definition of an input key: its term, or the plain one expansion gives a key that is
   * no term (see impliedDefinition).
   */
  definition (key: string): TermDefinition | undefined {
    const term = this.active.mappings.get(key)
    if (term !== undefined) return term ?? undefined
    let implied = this.implied.get(key)
    if (implied === undefined) {
      implied = impliedDefinition(key, this.active)
      this.implied.set(key, implied)
    }
    return implied ?? undefined
  }

  /** The learnt outcome of `key` with a value of `cls`; undefined while nobody has asked jsonld.js. */
  keyOutcome (key: string, cls: ValueClass): KeyOutcome | null | undefined {
    return this.keys.get(`${key}\n${cls}`)
  }

  /** The compacted form of a type value; undefined while unprobed. */
  typeOutcome (type: string): string | null | undefined {
    return this.types.get(type)
  }

  /** The compacted form of an IRI value of `key` (`@id` for a node's own id) that a CURIE prefix could shorten. */
  iriOutcome (key: string, iri: string): string | null | undefined {
    return this.iris.get(`${key}\n${iri}`)
  }

  /** Asks jsonld.js about a key and value class; concurrent asks share one probe. */
  async probeKey (key: string, cls: ValueClass): Promise<void> {
    await this.once(`k\n${key}\n${cls}`, async () => {
      const out = await this.probe({ [key]: SAMPLES[cls] })
      this.keys.set(`${key}\n${cls}`, out === null ? null : keyOutcome(out, cls, this.target))
    })
  }

  /** Asks jsonld.js how a type value compacts. */
  async probeType (type: string): Promise<void> {
    await this.once(`t\n${type}`, async () => {
      const out = await this.probe({}, type)
      const compacted = out?.type
      const def = typeof compacted === 'string' ? this.target.active.mappings.get(compacted) : undefined
      this.types.set(type, typeof compacted === 'string' && def?.['@context'] === undefined && onlyKeys(out, ['id', 'type']) ? compacted : null)
    })
  }

  /** Asks jsonld.js how an IRI value of `key` (or a node id, key `@id`) compacts. */
  async probeIri (key: string, iri: string): Promise<void> {
    await this.once(`i\n${key}\n${iri}`, async () => {
      let answer: string | null = null
      if (key === '@id') {
        const out = await this.probe({}, PROBE_TYPE, iri)
        answer = typeof out?.id === 'string' && onlyKeys(out, ['id', 'type']) ? out.id : null
      } else {
        await this.probeKey(key, 'iri')
        const out = await this.probe({ [key]: iri })
        const known = this.keyOutcome(key, 'iri')
        const values = out === null || !known ? undefined : out[known.outKey]
        const single = Array.isArray(values) && values.length === 1 ? values[0] as unknown : undefined
        if (known?.form === 'value' && typeof single === 'string') answer = single
      }
      this.iris.set(`${key}\n${iri}`, answer)
    })
  }

  private async once (id: string, ask: () => Promise<void>): Promise<void> {
    if (this.keys.size + this.types.size + this.iris.size >= MAX_ANSWERS) return
    let running = this.pending.get(id)
    if (running === undefined) {
      running = ask().finally(() => this.pending.delete(id))
      this.pending.set(id, running)
    }
    await running
  }

  /** jsonld.js's compaction of a probe document, as apex calls it; null when jsonld.js refuses it. */
  private async probe (properties: Record<string, unknown>, type = PROBE_TYPE, id = PROBE_ID): Promise<Record<string, unknown> | null> {
    const doc: Record<string, unknown> = { id, type, ...properties }
    const options: Record<string, unknown> = { compactArrays: false, documentLoader: this.documentLoader }
    if (this.context === undefined) options.expandContext = this.target.context
    else doc['@context'] = this.context
    try {
      const compacted = await jsonld.compact(doc, this.target.context, options)
      const graph = compacted['@graph']
      return Array.isArray(graph) && graph.length === 1 ? graph[0] as Record<string, unknown> : null
    } catch {
      return null
    }
  }
}

/**
 * How expansion reads a key that is not a term, without type coercion: a compact IRI whose
 * prefix is a term (`ioo:source`), or a bare word under `@vocab` (AS2's `_:` makes Mastodon's
 * `signature` the key `_:signature`). Null for anything else.
 */
function impliedDefinition (key: string, active: ActiveContext): TermDefinition | null {
  const colon = key.indexOf(':')
  if (colon < 0) {
    const vocab = active['@vocab']
    return typeof vocab === 'string' && key !== '' && !key.startsWith('@') ? { '@id': vocab + key, reverse: false } : null
  }
  const prefix = active.mappings.get(key.slice(0, colon))
  const suffix = key.slice(colon + 1)
  return prefix?._prefix === true && !suffix.startsWith('//') ? { '@id': prefix['@id'] + suffix, reverse: false } : null
}

/** Reads a probe's answer for a key: the one output key besides id and type, and the form its value took. */
function keyOutcome (out: Record<string, unknown>, cls: ValueClass, target: TargetContext): KeyOutcome | null {
  const extra = Object.keys(out).filter(k => k !== 'id' && k !== 'type')
  if (extra.length !== 1 || out.id !== PROBE_ID || out.type !== PROBE_TYPE) return null
  const outKey = extra[0]
  // A property-scoped context on the chosen term would change how nested values compact.
  if (target.active.mappings.get(outKey)?.['@context'] !== undefined) return null
  const values = out[outKey]
  if (!Array.isArray(values)) return null
  const sample = SAMPLES[cls]
  if (cls === 'empty') return values.length === 0 ? { outKey, form: 'value' } : null
  if (values.length !== 1) return null
  const got = JSON.stringify(values[0])
  if (got === JSON.stringify(sample)) return { outKey, form: 'value' }
  if (cls === 'iri' && got === JSON.stringify({ id: sample })) return { outKey, form: 'id-object' }
  if (cls === 'ref' && got === JSON.stringify((sample as { id: string }).id)) return { outKey, form: 'id-string' }
  return null
}

function onlyKeys (out: Record<string, unknown> | null, keys: string[]): boolean {
  return out !== null && Object.keys(out).length === keys.length && keys.every(k => k in out)
}

/** Processes a context with jsonld.js from the initial context (null when jsonld.js refuses it). */
export async function processContext (context: unknown, documentLoader: DocumentLoader): Promise<ActiveContext | null> {
  try {
    const initial = await jsonld.processContext(null, null, {})
    return await jsonld.processContext(initial, context, { documentLoader })
  } catch {
    return null
  }
}

/** Processes apex's context, the one every document is compacted against. */
export async function targetContext (context: unknown, documentLoader: DocumentLoader): Promise<TargetContext | null> {
  const active = await processContext(context, documentLoader)
  if (active === null || active['@language'] !== undefined || active['@direction'] !== undefined) return null
  // An http(s) IRI would be read as a CURIE if these were prefixes.
  if (active.mappings.has('http') || active.mappings.has('https')) return null
  const prefixIris = [...active.mappings.values()].filter(d => d?._prefix === true).map(d => d['@id'])
  return { context, active, prefixIris }
}
