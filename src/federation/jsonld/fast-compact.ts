import type { TermDefinition } from 'jsonld'
import { InputContext, processContext, TargetContext, targetContext, ValueClass } from './compaction-probes'
import type { DocumentLoader } from './document-loader'

type Json = Record<string, unknown>

/** A probe the walk needs before it can answer. */
type Need = { kind: 'key', key: string, cls: ValueClass } | { kind: 'type', type: string } | { kind: 'iri', key: string, iri: string }

/** The walk gave up: jsonld.js must compact this document. */
const BAIL = Symbol('bail')

/** Why the last document went to jsonld.js (tests and profiling read it). */
export let lastBailReason = ''

function bail (reason: string): typeof BAIL {
  lastBailReason = reason
  return BAIL
}

/** Distinct `@context` values remembered (peers send a handful each). */
const MAX_CONTEXTS = 64

/** Probes one document may trigger; real documents need a handful the first time and none after. */
const MAX_PROBES_PER_DOCUMENT = 32

/**
 * apex's `fromJSONLD` (jsonld.js compaction against apex's context, arrays kept, `@graph[0]`)
 * without jsonld.js for the documents where the result is known to be the same: every key a term
 * of the document's context, every value a string, number, boolean, http(s) IRI or nested node,
 * and jsonld.js seen (by a probe, once per context, key and kind of value) to put that kind of
 * value under that key back in the same way. Anything else — keywords, language maps, lists,
 * scoped contexts, relative IRIs, IRIs a CURIE prefix could shorten unprobed, unknown terms,
 * `@language` in a context (apex rewrites it) — returns null, and the caller runs jsonld.js.
 * test/federation/fast-compact.test.ts compares both on fixtures and generated documents.
 */
export class FastCompaction {
  private target: Promise<TargetContext | null> | undefined
  /** The target context once known (null: not taken), for `compactNow`. */
  private targetNow: TargetContext | null | undefined
  private readonly contexts = new Map<string, { ready: Promise<InputContext | null>, now?: InputContext | null }>()

  constructor (private readonly apexContext: unknown, private readonly documentLoader: DocumentLoader) {}

  /**
   * The compacted node at once, without a promise, when everything it needs is known already —
   * the target context, the document's context and every probe's answer, as for nearly every
   * document after a peer's first; undefined when something must be loaded or probed first (then
   * `compact` does it). Never changes `doc`.
   */
  compactNow (doc: Json): Json | undefined {
    const target = this.targetNow
    if (target == null || !isPlainObject(doc)) return undefined
    const input = this.contexts.get(contextKey(doc))?.now
    if (input == null) return undefined
    const needs: Need[] = []
    const result = walkNode(doc, input, target, needs, true)
    return result === BAIL || needs.length > 0 ? undefined : result
  }

  /** The compacted node, or null when only jsonld.js can say. Never changes `doc`. */
  async compact (doc: Json): Promise<Json | null> {
    this.target ??= targetContext(this.apexContext, this.documentLoader).then(target => { this.targetNow = target; return target })
    const target = await this.target
    if (target === null || !isPlainObject(doc)) { bail('no target context or not an object'); return null }
    const input = await this.inputContext(doc, target)
    if (input === null) { bail('context not taken'); return null }
    // Each pass may reveal more to ask (nested nodes, an IRI's answer after its key's).
    let budget = MAX_PROBES_PER_DOCUMENT
    for (let attempt = 0; attempt < 8; attempt++) {
      const needs: Need[] = []
      const result = walkNode(doc, input, target, needs, true)
      if (result === BAIL) return null
      if (needs.length === 0) return result
      // A document that needs many new answers (hostile, or odd) learns a few and is jsonld.js's to do.
      const asked = needs.slice(0, budget)
      budget -= asked.length
      await Promise.all(asked.map(need => ask(input, need)))
      if (asked.length < needs.length) { bail('too many new shapes at once'); return null }
    }
    bail('probes did not settle')
    return null
  }

  private async inputContext (doc: Json, target: TargetContext): Promise<InputContext | null> {
    const hasContext = '@context' in doc
    const context = doc['@context']
    if (hasContext && !plainContext(context)) { bail('@context not plain'); return null }
    const key = contextKey(doc)
    let entry = this.contexts.get(key)
    if (entry === undefined) {
      if (this.contexts.size >= MAX_CONTEXTS) this.contexts.delete(this.contexts.keys().next().value as string)
      const own = hasContext ? structuredClone(context) : undefined
      const made: { ready: Promise<InputContext | null>, now?: InputContext | null } = {
        ready: processContext(hasContext ? own : target.context, this.documentLoader).then(active => {
          if (active === null || active['@language'] !== undefined || active['@direction'] !== undefined) return null
          if (active.mappings.has('http') || active.mappings.has('https')) return null
          return new InputContext(active, own, target, this.documentLoader)
        })
      }
      // Known once processed: `compactNow` takes documents of this context from then on.
      void made.ready.then(input => { made.now = input }, () => {})
      entry = made
      this.contexts.set(key, entry)
    }
    return await entry.ready
  }
}

/** Under which key a document's `@context` is remembered: its JSON, or '' for none. */
function contextKey (doc: Json): string {
  return '@context' in doc ? JSON.stringify(doc['@context']) : ''
}

async function ask (input: InputContext, need: Need): Promise<void> {
  if (need.kind === 'key') await input.probeKey(need.key, need.cls)
  else if (need.kind === 'type') await input.probeType(need.type)
  else await input.probeIri(need.key, need.iri)
}

/**
 * A `@context` the fast path takes: URLs and term objects, none holding `@language` (apex
 * rewrites that before compacting) or anything but those (apex fails on a `null` entry).
 */
function plainContext (context: unknown): boolean {
  const entries = Array.isArray(context) ? context : [context]
  return entries.length > 0 && entries.every(c => typeof c === 'string' || (isPlainObject(c) && !('@language' in c)))
}

/** A JSON object (from any realm: jest and structuredClone hand out other realms' objects). */
function isPlainObject (value: unknown): value is Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as object | null
  return proto === null || Object.getPrototypeOf(proto) === null
}

/** Compacts one node object; output keys in jsonld.js's order (id, type, then by expanded IRI). */
function walkNode (node: Json, input: InputContext, target: TargetContext, needs: Need[], top: boolean): Json | typeof BAIL {
  const asked = needs.length
  let id: string | undefined
  let types: string[] | undefined
  const properties: Array<{ iri: string, outKey: string, values: unknown[] }> = []
  const seen = new Set<string>()
  for (const key of Object.keys(node)) {
    const value = node[key]
    if (key === '@context' && top) continue
    const def = input.definition(key)
    if (def === undefined || def === null || key.startsWith('@')) return bail(`key ${key}`)
    if (seen.has(def['@id'])) return bail(`two keys for ${def['@id']}`)
    seen.add(def['@id'])
    if (def['@id'] === '@id') {
      if (key !== 'id' || typeof value !== 'string') return bail('id')
      const compacted = compactIri(value, '@id', input, target, needs)
      if (compacted === BAIL) return BAIL
      id = compacted
      continue
    }
    if (def['@id'] === '@type') {
      if (key !== 'type') return bail(`type alias ${key}`)
      const given = Array.isArray(value) ? value : [value]
      if (given.length === 0) return bail('empty type')
      types = []
      for (const t of given) {
        if (typeof t !== 'string') return bail('type not a string')
        if (input.definition(t)?.['@context'] !== undefined) return bail(`type-scoped context ${t}`)
        const out = input.typeOutcome(t)
        if (out === null) return bail(`type ${t}`)
        if (out === undefined) needs.push({ kind: 'type', type: t })
        else types.push(out)
      }
      continue
    }
    if (def['@id'].startsWith('@') || !plainDefinition(def)) return bail(`definition of ${key}`)
    // Expansion drops a key whose value is null.
    if (value === null) continue
    const items = Array.isArray(value) ? value : [value]
    const cls = items.length === 0 ? 'empty' : undefined
    let outKey: string | undefined
    const values: unknown[] = []
    if (cls === 'empty') {
      const outcome = input.keyOutcome(key, 'empty')
      if (outcome === null) return bail(`${key} empty`)
      if (outcome === undefined) { needs.push({ kind: 'key', key, cls: 'empty' }); continue }
      outKey = outcome.outKey
    }
    for (const item of items) {
      const itemClass = classify(item, def)
      if (itemClass === BAIL) return bail(`value of ${key}`)
      const outcome = input.keyOutcome(key, itemClass)
      if (outcome === null) return bail(`${key} ${itemClass}`)
      if (outcome === undefined) { needs.push({ kind: 'key', key, cls: itemClass }); continue }
      if (outKey !== undefined && outKey !== outcome.outKey) return bail(`${key} split`)
      outKey = outcome.outKey
      const compacted = compactItem(item, itemClass, outcome.form, key, input, target, needs)
      if (compacted === BAIL) return BAIL
      values.push(compacted)
    }
    if (outKey !== undefined) properties.push({ iri: def['@id'], outKey, values })
  }
  // A node with nothing but an id is dropped at the top (apex would get undefined) and is a
  // reference further down, which compacts differently.
  // Probes pending: this pass only collects them.
  if (needs.length > asked) return {}
  if (types === undefined && properties.length === 0) return bail('node with no type or property')
  const out: Json = {}
  if (id !== undefined) out.id = id
  if (types !== undefined) out.type = types.length === 1 ? types[0] : types
  properties.sort((a, b) => a.iri < b.iri ? -1 : a.iri > b.iri ? 1 : 0)
  for (const p of properties) {
    if (p.outKey in out) return bail(`output key ${p.outKey} twice`)
    out[p.outKey] = p.values
  }
  return out
}

/** A term definition whose values expand to plain literals, typed literals or node references. */
function plainDefinition (def: TermDefinition): boolean {
  const container = def['@container']
  const type = def['@type']
  return !def.reverse && def['@context'] === undefined && def['@nest'] === undefined && def['@index'] === undefined &&
    def['@language'] === undefined && def['@direction'] === undefined &&
    (container === undefined || (container.length === 1 && container[0] === '@set')) &&
    type !== '@vocab' && type !== '@json' && type !== '@none'
}

const HTTP_IRI = /^https?:\/\/[^\s]*$/

/** The class of one value under a term; BAIL for what the fast path does not reproduce. */
function classify (item: unknown, def: TermDefinition): ValueClass | typeof BAIL {
  if (typeof item === 'string') {
    if (def['@type'] !== '@id') return 'string'
    return HTTP_IRI.test(item) ? 'iri' : bail(`not an http(s) IRI: ${item}`)
  }
  if (typeof item === 'number') return Number.isFinite(item) && !Object.is(item, -0) ? 'number' : bail('-0')
  if (typeof item === 'boolean') return 'boolean'
  if (!isPlainObject(item)) return bail(Array.isArray(item) ? 'nested array' : 'not a JSON value')
  const keys = Object.keys(item)
  if (keys.length === 0) return bail('empty object')
  if (!('id' in item)) return 'blank'
  if (typeof item.id !== 'string' || !HTTP_IRI.test(item.id)) return bail('node id not an http(s) IRI')
  return keys.length === 1 ? 'ref' : 'node'
}

function compactItem (item: unknown, cls: ValueClass, form: string, key: string, input: InputContext, target: TargetContext, needs: Need[]): unknown {
  switch (cls) {
    case 'string': case 'number': case 'boolean': return item
    case 'iri': {
      const iri = compactIri(item as string, key, input, target, needs)
      if (iri === BAIL) return BAIL
      return form === 'id-object' ? { id: iri } : iri
    }
    case 'ref': {
      const iri = compactIri((item as { id: string }).id, '@id', input, target, needs)
      if (iri === BAIL) return BAIL
      return form === 'id-string' ? iri : { id: iri }
    }
    default: return walkNode(item as Json, input, target, needs, false)
  }
}

/**
 * An http(s) IRI value compacts to itself unless a CURIE prefix or a term matches it: then
 * jsonld.js's answer for that exact IRI is asked once (as:Public becomes `as:Public`).
 */
function compactIri (iri: string, key: string, input: InputContext, target: TargetContext, needs: Need[]): string | typeof BAIL {
  if (!HTTP_IRI.test(iri)) return bail(`IRI ${iri}`)
  if (!target.active.mappings.has(iri) && !target.prefixIris.some(p => iri.startsWith(p))) return iri
  const known = input.iriOutcome(key, iri)
  if (known === null) return bail(`IRI ${iri}`)
  if (known === undefined) { needs.push({ kind: 'iri', key, iri }); return iri }
  return known
}
