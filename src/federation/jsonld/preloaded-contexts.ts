// JSON-LD context documents kept in memory, so that expanding or compacting a peer's document
// never has to dereference a context URL over the network. Where each file comes from is in
// contexts/README.md.
//
// The documents are imported (not read with fs) so that `tsc` copies them into dist/ alongside
// this module; the build copies nothing else.

import activitystreams from './contexts/activitystreams.json'
import cidV1 from './contexts/cid-v1.json'
import dataIntegrityV1 from './contexts/data-integrity-v1.json'
import dataIntegrityV2 from './contexts/data-integrity-v2.json'
import didV1 from './contexts/did-v1.json'
import fep5711 from './contexts/fep-5711.json'
import fep7aa9 from './contexts/fep-7aa9.json'
import fepEf61 from './contexts/fep-ef61.json'
import gotosocial from './contexts/gotosocial.json'
import identityV1 from './contexts/identity-v1.json'
import joinLemmy from './contexts/join-lemmy.json'
import joinmastodon from './contexts/joinmastodon.json'
import litepubAkkoma from './contexts/litepub-akkoma.json'
import litepubPleroma from './contexts/litepub-pleroma.json'
import miscellany from './contexts/miscellany.json'
import multikeyV1 from './contexts/multikey-v1.json'
import schemaorg from './contexts/schemaorg.json'
import securityV1 from './contexts/security-v1.json'
import securityV2 from './contexts/security-v2.json'
import webfinger from './contexts/webfinger.json'

/** Pleroma and Akkoma serve their litepub context on every host, so it is matched by path. */
export const LITEPUB_PATH_SUFFIX = '/schemas/litepub-0.1.jsonld'

// These hosts answer the same context over http and https, and peers write either scheme.
const SCHEME_AGNOSTIC_HOSTS: ReadonlySet<string> = new Set(['w3id.org', 'www.w3.org'])

interface Builtin {
  /** The URL the document is published at, as peers usually write it. */
  readonly url: string
  /** Other URLs that serve the very same document. */
  readonly aliases?: readonly string[]
  readonly document: unknown
}

const BUILTINS: readonly Builtin[] = [
  {
    url: 'https://www.w3.org/ns/activitystreams',
    aliases: ['https://www.w3.org/ns/activitystreams.jsonld'],
    document: activitystreams
  },
  { url: 'https://w3id.org/security/v1', document: securityV1 },
  { url: 'https://w3id.org/security/v2', document: securityV2 },
  { url: 'https://w3id.org/security/data-integrity/v1', document: dataIntegrityV1 },
  { url: 'https://w3id.org/security/data-integrity/v2', document: dataIntegrityV2 },
  { url: 'https://w3id.org/security/multikey/v1', document: multikeyV1 },
  { url: 'https://www.w3.org/ns/did/v1', document: didV1 },
  { url: 'https://www.w3.org/ns/cid/v1', document: cidV1 },
  { url: 'https://w3id.org/identity/v1', document: identityV1 },
  { url: 'https://purl.archive.org/socialweb/webfinger', document: webfinger },
  { url: 'https://purl.archive.org/miscellany', document: miscellany },
  { url: 'https://gotosocial.org/ns', document: gotosocial },
  // Mastodon has never served a document here; it inlines these terms instead. Some peers
  // (older GoToSocial, Bonfire) still reference the URL, so we answer with the same terms.
  { url: 'http://joinmastodon.org/ns', aliases: ['https://joinmastodon.org/ns'], document: joinmastodon },
  { url: 'https://join-lemmy.org/context.json', document: joinLemmy },
  // schema.org serves one context at its root over both schemes; new URL() already treats
  // "http://schema.org" and "http://schema.org/" as the same URL.
  { url: 'http://schema.org/', aliases: ['https://schema.org/'], document: schemaorg },
  { url: 'https://w3id.org/fep/5711', document: fep5711 },
  { url: 'https://w3id.org/fep/ef61', document: fepEf61 },
  { url: 'https://w3id.org/fep/7aa9', document: fep7aa9 }
]

/** The published URL of every built-in context (the per-host litepub context is matched by LITEPUB_PATH_SUFFIX). */
export const PRELOADED_CONTEXT_URLS: readonly string[] = Object.freeze(BUILTINS.map((b) => b.url))

// Which server software runs on a host is unknown when its litepub URL is seen, so serve the union
// of Pleroma's and Akkoma's documents: Pleroma's array, then Akkoma's inline term objects. Their
// shared terms are defined identically, so either server's documents expand as their own would.
const litepub: unknown = {
  '@context': [
    ...(litepubPleroma['@context'] as unknown[]),
    ...(litepubAkkoma['@context'] as unknown[]).filter((entry) => typeof entry !== 'string')
  ]
}

/**
 * The key a URL is stored under: fragment dropped (it never reaches the server), and https for
 * hosts that serve both schemes. Undefined for anything that is not an http(s) URL.
 */
function lookupKey (raw: string): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  url.hash = ''
  if (SCHEME_AGNOSTIC_HOSTS.has(url.hostname)) url.protocol = 'https:'
  return url.href
}

function deepFreeze<T> (value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

// Shared between every request, so frozen: one caller must not be able to alter what the next sees.
const builtinByKey = new Map<string, unknown>()
for (const builtin of BUILTINS) {
  const document = deepFreeze(builtin.document)
  for (const url of [builtin.url, ...(builtin.aliases ?? [])]) {
    const key = lookupKey(url)
    if (key === undefined || builtinByKey.has(key)) throw new Error(`bad built-in context URL: ${url}`)
    builtinByKey.set(key, document)
  }
}
deepFreeze(litepub)

const registeredByKey = new Map<string, unknown>()

function isLitepubUrl (key: string): boolean {
  const url = new URL(key)
  return url.search === '' && url.pathname.endsWith(LITEPUB_PATH_SUFFIX)
}

/** The in-memory context document served at `url`, or undefined when none is held (it is frozen: do not mutate). */
export function preloadedContext (url: string): unknown | undefined {
  const key = lookupKey(url)
  if (key === undefined) return undefined
  // Registered first, so the hub can answer for its own litepub-style URLs.
  return registeredByKey.get(key) ?? builtinByKey.get(key) ?? (isLitepubUrl(key) ? litepub : undefined)
}

/** Makes `document` (a JSON-LD context document, `{ "@context": ... }`) answer for `url`; re-registering replaces it. */
export function registerContext (url: string, document: unknown): void {
  const key = lookupKey(url)
  if (key === undefined) throw new TypeError(`context URL must be an absolute http(s) URL: ${url}`)
  // Built-ins are published documents; letting the hub shadow one would silently change how every peer's data reads.
  if (builtinByKey.has(key)) throw new Error(`${url} is a preloaded context and cannot be replaced`)
  if (document === null || typeof document !== 'object' || Array.isArray(document) || !('@context' in document)) {
    throw new TypeError(`context document for ${url} must be an object with an "@context" member`)
  }
  // Copy before freezing so the caller's own object stays writable.
  registeredByKey.set(key, deepFreeze(structuredClone(document)))
}
