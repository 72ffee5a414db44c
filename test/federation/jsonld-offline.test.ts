// Expanding and compacting peers' documents must never need the network: every context that
// Mastodon, GoToSocial, Pleroma/Akkoma, Fedify-based servers and Mitra reference is held in memory.
import { generateKeyPairSync } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import jsonld from 'jsonld'
import { createDocumentLoader } from '../../src/federation/jsonld/document-loader'
import {
  PRELOADED_CONTEXT_URLS,
  preloadedContext,
  registerContext
} from '../../src/federation/jsonld/preloaded-contexts'

type Node = Record<string, unknown>

const AS = 'https://www.w3.org/ns/activitystreams#'
const SEC = 'https://w3id.org/security#'
const LDP_INBOX = 'http://www.w3.org/ns/ldp#inbox'
const TOOT = 'http://joinmastodon.org/ns#'
const PUBLIC = 'https://www.w3.org/ns/activitystreams#Public'
// What apex compacts every incoming document against.
const APEX_CONTEXT = ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1']

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'peers')
const TARGET = 'http://127.0.0.1:38080/u/example'
const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString()

/** A fixture with its placeholders filled in as a live peer's document would have them. */
function fixture (name: string): Node {
  const doc = JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8').replaceAll('TARGET_ACTOR', TARGET)) as Node
  const key = doc.publicKey as Node | undefined
  if (key !== undefined) key.publicKeyPem = PEM
  return doc
}

/** A document loader that records, instead of fetching, every URL it does not hold. */
function offlineLoader (): { documentLoader: ReturnType<typeof createDocumentLoader>, unknown: string[] } {
  const unknown: string[] = []
  return { documentLoader: createDocumentLoader({ onUnknown: (url) => unknown.push(url) }), unknown }
}

async function expandOffline (doc: unknown): Promise<{ node: Node, unknown: string[] }> {
  const { documentLoader, unknown } = offlineLoader()
  const expanded = await jsonld.expand(doc, { documentLoader })
  expect(expanded).toHaveLength(1)
  return { node: expanded[0], unknown }
}

function all (node: Node, iri: string): Node[] {
  const value = node[iri]
  return Array.isArray(value) ? (value as Node[]) : []
}

function one (node: Node, iri: string): Node {
  const values = all(node, iri)
  if (values.length !== 1) throw new Error(`expected exactly one ${iri}, got ${JSON.stringify(node[iri])}`)
  return values[0]
}

const idOf = (node: Node, iri: string): unknown => one(node, iri)['@id']
const valueOf = (node: Node, iri: string): unknown => one(node, iri)['@value']
const typesOf = (node: Node): unknown => node['@type']

describe('preloaded contexts', () => {
  it('covers every context URL the supported servers put in their documents', () => {
    expect(PRELOADED_CONTEXT_URLS).toEqual(expect.arrayContaining([
      'https://www.w3.org/ns/activitystreams',
      'https://w3id.org/security/v1',
      'https://w3id.org/security/v2',
      'https://w3id.org/security/data-integrity/v1',
      'https://w3id.org/security/data-integrity/v2',
      'https://w3id.org/security/multikey/v1',
      'https://www.w3.org/ns/did/v1',
      'https://www.w3.org/ns/cid/v1',
      'https://purl.archive.org/socialweb/webfinger',
      'https://gotosocial.org/ns',
      'http://joinmastodon.org/ns',
      'https://join-lemmy.org/context.json',
      'http://schema.org/'
    ]))
  })

  it.each(PRELOADED_CONTEXT_URLS.map((url) => [url]))('answers %s from memory', async (url) => {
    const { documentLoader, unknown } = offlineLoader()
    const remote = await documentLoader(url)
    expect(unknown).toEqual([])
    expect(remote.contextUrl).toBeNull()
    expect(remote.documentUrl).toBe(url)
    expect(remote.document).toHaveProperty('@context')
    expect(remote.document).toEqual(preloadedContext(url))
  })

  it.each([
    ['http://www.w3.org/ns/activitystreams', 'https://www.w3.org/ns/activitystreams'],
    ['https://www.w3.org/ns/activitystreams#', 'https://www.w3.org/ns/activitystreams'],
    ['http://w3id.org/security/v1', 'https://w3id.org/security/v1'],
    ['https://w3id.org/security/data-integrity/v1#', 'https://w3id.org/security/data-integrity/v1'],
    ['http://joinmastodon.org/ns#', 'http://joinmastodon.org/ns'],
    ['https://gotosocial.org/ns#', 'https://gotosocial.org/ns'],
    ['http://schema.org', 'http://schema.org/'],
    ['https://schema.org/', 'http://schema.org/']
  ])('treats %s as the published %s', (variant, published) => {
    expect(preloadedContext(published)).toBeDefined()
    expect(preloadedContext(variant)).toBe(preloadedContext(published))
  })

  it('answers any host\'s /schemas/litepub-0.1.jsonld with the one litepub context', () => {
    const pleroma = preloadedContext('https://pleroma.test/schemas/litepub-0.1.jsonld')
    expect(pleroma).toHaveProperty('@context')
    expect(preloadedContext('http://akkoma.test/schemas/litepub-0.1.jsonld')).toBe(pleroma)
  })

  it.each([
    'https://w3id.org/security/v1/',
    'https://w3id.org/security/v3',
    'https://www.w3.org/ns/activitystreams/extra',
    'https://mirror.test/ns/activitystreams',
    'https://pleroma.test/schemas/litepub-0.1.jsonld?v=2',
    'https://pleroma.test/schemas/litepub-0.2.jsonld',
    'ftp://w3id.org/security/v1',
    'not a url'
  ])('does not stretch to %s', (url) => {
    expect(preloadedContext(url)).toBeUndefined()
  })

  it('hands each caller its own copy of a shared document', async () => {
    const { documentLoader } = offlineLoader()
    const first = await documentLoader('https://w3id.org/security/v1')
    ;(first.document as { '@context': Record<string, unknown> })['@context'].publicKeyPem = 'tampered'
    const second = await documentLoader('https://w3id.org/security/v1')
    expect((second.document as { '@context': Record<string, unknown> })['@context'].publicKeyPem).toBe('sec:publicKeyPem')
    expect(Object.isFrozen(preloadedContext('https://w3id.org/security/v1'))).toBe(true)
  })

  it('expands a Pleroma and an Akkoma actor through the per-host litepub context', async () => {
    const { node, unknown } = await expandOffline({
      '@context': ['https://www.w3.org/ns/activitystreams', 'https://akkoma.test/schemas/litepub-0.1.jsonld', { '@language': 'und' }],
      id: 'https://akkoma.test/users/finn',
      type: 'Person',
      inbox: 'https://akkoma.test/users/finn/inbox',
      webfinger: 'acct:finn@akkoma.test',
      isCat: true,
      backgroundUrl: 'https://akkoma.test/media/bg.png',
      capabilities: { acceptsChatMessages: true }
    })
    expect(unknown).toEqual([])
    expect(typesOf(node)).toEqual([`${AS}Person`])
    expect(idOf(node, LDP_INBOX)).toBe('https://akkoma.test/users/finn/inbox')
    // Pleroma's own term, reached through the webfinger context it references, and Akkoma's.
    expect(valueOf(node, 'https://purl.archive.org/socialweb/webfinger#webfinger')).toBe('acct:finn@akkoma.test')
    expect(valueOf(node, 'https://misskey-hub.net/ns#isCat')).toBe(true)
    expect(idOf(node, 'https://joinsharkey.org/ns#backgroundUrl')).toBe('https://akkoma.test/media/bg.png')
    expect(all(node, 'http://litepub.social/ns#capabilities')).toHaveLength(1)
  })
})

describe('peer fixtures expand offline', () => {
  it('has a recorded document for each server family', () => {
    expect(readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()).toEqual([
      'fedify-actor.json',
      'gotosocial-actor.json',
      'mastodon-actor.json',
      'mastodon-follow.json',
      'mastodon-note-create.json',
      'mitra-actor.json'
    ])
  })

  it.each([
    ['mastodon-actor.json', 'https://mastodon.test/users/alice'],
    ['gotosocial-actor.json', 'https://gts.test/users/carol'],
    ['fedify-actor.json', 'https://fedify.test/@dana'],
    ['mitra-actor.json', 'https://mitra.test/users/erin']
  ])('%s expands to an AS2 Person with its inbox and key, fetching nothing', async (name, id) => {
    const { node, unknown } = await expandOffline(fixture(name))
    expect(unknown).toEqual([])
    expect(node['@id']).toBe(id)
    expect(typesOf(node)).toEqual([`${AS}Person`])
    expect(idOf(node, LDP_INBOX)).toMatch(/^https:\/\/[a-z.]+\.test\/.+\/inbox$/)
    const key = one(node, `${SEC}publicKey`)
    expect(key['@id']).toBe(`${id}#main-key`)
    expect(idOf(key, `${SEC}owner`)).toBe(id)
    expect(valueOf(key, `${SEC}publicKeyPem`)).toBe(PEM)
  })

  it('keeps Mastodon\'s inline toot:, as: and schema: terms', async () => {
    const { node } = await expandOffline(fixture('mastodon-actor.json'))
    expect(idOf(node, `${TOOT}featured`)).toBe('https://mastodon.test/users/alice/collections/featured')
    expect(idOf(node, `${TOOT}featuredTags`)).toBe('https://mastodon.test/users/alice/collections/tags')
    expect(valueOf(node, `${TOOT}discoverable`)).toBe(true)
    expect(valueOf(node, `${TOOT}indexable`)).toBe(false)
    expect(valueOf(node, `${TOOT}memorial`)).toBe(false)
    expect(valueOf(node, `${AS}manuallyApprovesFollowers`)).toBe(false)
    expect(idOf(node, `${AS}alsoKnownAs`)).toBe('https://old.mastodon.test/users/alice')
    expect(idOf(node, `${TOOT}attributionDomains`)).toBe('alice.example')
    expect(idOf(one(node, `${AS}endpoints`), `${AS}sharedInbox`)).toBe('https://mastodon.test/inbox')
    const fields = all(node, `${AS}attachment`)
    expect(fields.map(typesOf)).toEqual([['http://schema.org#PropertyValue'], ['http://schema.org#PropertyValue']])
    expect(valueOf(fields[1], 'http://schema.org#value')).toBe('she/her')
    expect(all(node, `${AS}tag`).map(typesOf)).toEqual([[`${TOOT}Emoji`], [`${AS}Hashtag`]])
  })

  it('reads the followed actor out of a Mastodon Follow', async () => {
    const { node, unknown } = await expandOffline(fixture('mastodon-follow.json'))
    expect(unknown).toEqual([])
    expect(typesOf(node)).toEqual([`${AS}Follow`])
    expect(idOf(node, `${AS}actor`)).toBe('https://mastodon.test/users/alice')
    expect(idOf(node, `${AS}object`)).toBe(TARGET)
  })

  it('expands a Mastodon Create(Note) with media, mentions, hashtags and its LD signature', async () => {
    const { node, unknown } = await expandOffline(fixture('mastodon-note-create.json'))
    expect(unknown).toEqual([])
    expect(typesOf(node)).toEqual([`${AS}Create`])
    expect(all(node, `${AS}to`).map((n) => n['@id'])).toEqual([PUBLIC])
    const note = one(node, `${AS}object`)
    expect(typesOf(note)).toEqual([`${AS}Note`])
    expect(idOf(note, `${AS}attributedTo`)).toBe('https://mastodon.test/users/alice')
    expect(valueOf(note, `${AS}sensitive`)).toBe(false)
    expect(valueOf(note, 'http://ostatus.org#atomUri')).toBe('https://mastodon.test/users/alice/statuses/114602981130562014')
    // content and contentMap are both as:content; the map's entry carries its language.
    expect(all(note, `${AS}content`).map((v) => v['@language'])).toEqual([undefined, 'en'])
    const media = one(note, `${AS}attachment`)
    expect(typesOf(media)).toEqual([`${AS}Document`])
    expect(valueOf(media, `${TOOT}blurhash`)).toBe('UKFY4^xu00M{~qWBIURj%MfkD%WBIUofRjWB')
    expect(one(media, `${TOOT}focalPoint`)['@list']).toEqual([{ '@value': 0 }, { '@value': 0.2 }])
    expect(all(note, `${AS}tag`).map(typesOf)).toEqual([[`${AS}Mention`], [`${AS}Hashtag`]])
    // Mastodon signs with terms it never defines, so they land under the AS2 context's "@vocab": "_:".
    expect(all(node, '_:signature')).toHaveLength(1)
  })

  it('reads GoToSocial\'s sorted inline context', async () => {
    const { node } = await expandOffline(fixture('gotosocial-actor.json'))
    expect(valueOf(node, `${AS}manuallyApprovesFollowers`)).toBe(true)
    expect(idOf(node, `${TOOT}featured`)).toBe('https://gts.test/users/carol/collections/featured')
    expect(all(node, `${AS}attachment`).map(typesOf)).toEqual([['http://schema.org#PropertyValue'], ['http://schema.org#PropertyValue']])
    expect(typesOf(one(node, `${AS}tag`))).toEqual([`${TOOT}Emoji`])
  })

  it.each([
    ['fedify-actor.json', 'https://fedify.test/@dana', ['#main-key', '#key-2']],
    ['mitra-actor.json', 'https://mitra.test/users/erin', ['#main-key', '#ed25519-key']]
  ])('%s carries its FEP-521a Multikeys through the data-integrity and multikey contexts', async (name, id, fragments) => {
    const { node } = await expandOffline(fixture(name))
    const keys = all(node, `${SEC}assertionMethod`)
    expect(keys.map((k) => k['@id'])).toEqual(fragments.map((f) => `${id}${f}`))
    for (const key of keys) {
      expect(typesOf(key)).toEqual([`${SEC}Multikey`])
      expect(idOf(key, `${SEC}controller`)).toBe(id)
      const multibase = one(key, `${SEC}publicKeyMultibase`)
      expect(multibase['@type']).toBe(`${SEC}multibase`)
      expect(multibase['@value']).toMatch(/^z[1-9A-HJ-NP-Za-km-z]+$/)
    }
  })

  it('reads Fedify\'s Endpoints, CryptographicKey and single-valued properties', async () => {
    const { node } = await expandOffline(fixture('fedify-actor.json'))
    const endpoints = one(node, `${AS}endpoints`)
    expect(typesOf(endpoints)).toEqual([`${AS}Endpoints`])
    expect(idOf(endpoints, `${AS}sharedInbox`)).toBe('https://fedify.test/inbox')
    expect(typesOf(one(node, `${SEC}publicKey`))).toEqual([`${SEC}Key`])
    expect(idOf(node, `${AS}alsoKnownAs`)).toBe('https://mastodon.test/users/dana')
    expect(idOf(node, `${AS}liked`)).toBe('https://fedify.test/@dana/liked')
    expect(typesOf(one(node, `${AS}attachment`))).toEqual(['http://schema.org#PropertyValue'])
  })

  it('reads Mitra\'s own terms next to the CID and data-integrity contexts', async () => {
    const { node } = await expandOffline(fixture('mitra-actor.json'))
    expect(valueOf(node, 'http://jsonld.mitra.social#subscribers')).toBe('https://mitra.test/users/erin/subscribers')
    expect(typesOf(one(node, `${AS}attachment`))).toEqual(['http://schema.org/PropertyValue'])
    expect(typesOf(one(node, `${AS}generator`))).toEqual([`${AS}Application`])
  })

  it('resolves a pre-0.17 GoToSocial context, whose remote schema.org context outranks AS2 as it would online', async () => {
    const { node, unknown } = await expandOffline({
      '@context': ['http://joinmastodon.org/ns', 'https://w3id.org/security/v1', 'https://www.w3.org/ns/activitystreams', 'http://schema.org'],
      id: 'https://old-gts.test/users/gil',
      type: 'Person',
      inbox: 'https://old-gts.test/users/gil/inbox',
      featured: 'https://old-gts.test/users/gil/collections/featured',
      discoverable: false
    })
    expect(unknown).toEqual([])
    expect(typesOf(node)).toEqual(['http://schema.org/Person'])
    expect(idOf(node, LDP_INBOX)).toBe('https://old-gts.test/users/gil/inbox')
    expect(idOf(node, `${TOOT}featured`)).toBe('https://old-gts.test/users/gil/collections/featured')
    expect(valueOf(node, `${TOOT}discoverable`)).toBe(false)
  })
})

describe('peer fixtures compact offline the way apex reads them', () => {
  it.each([
    ['mastodon-actor.json', 'Person'],
    ['gotosocial-actor.json', 'Person'],
    ['fedify-actor.json', 'Person'],
    ['mitra-actor.json', 'Person'],
    ['mastodon-follow.json', 'Follow'],
    ['mastodon-note-create.json', 'Create']
  ])('%s compacts to an apex %s', async (name, type) => {
    const { documentLoader, unknown } = offlineLoader()
    const compacted = await jsonld.compact(fixture(name), APEX_CONTEXT, { compactArrays: false, documentLoader })
    expect(unknown).toEqual([])
    const [node] = compacted['@graph'] as Node[]
    // apex keeps `type` a string even with compactArrays off; everything else comes back as arrays.
    expect(node.type).toBe(type)
    if (type === 'Person') {
      expect(node.inbox).toEqual([expect.stringMatching(/\/inbox$/)])
      expect((node.publicKey as Node[])[0].publicKeyPem).toEqual([PEM])
    }
    if (type === 'Follow') expect(node.object).toEqual([TARGET])
    if (type === 'Create') expect((node.object as Node[])[0].type).toBe('Note')
  })
})

describe('unknown contexts', () => {
  it('answers an unknown URL with an empty context and reports it instead of fetching', async () => {
    const { documentLoader, unknown } = offlineLoader()
    const remote = await documentLoader('https://unlisted.test/ns/v1')
    expect(remote).toEqual({ contextUrl: null, documentUrl: 'https://unlisted.test/ns/v1', document: { '@context': {} } })
    expect(unknown).toEqual(['https://unlisted.test/ns/v1'])
  })

  it('still expands the document, leaving the unknown context\'s terms as "_:" keys', async () => {
    const { node, unknown } = await expandOffline({
      '@context': ['https://www.w3.org/ns/activitystreams', 'https://unlisted.test/ns/v1'],
      id: 'https://unlisted.test/users/hal',
      type: 'Person',
      inbox: 'https://unlisted.test/users/hal/inbox',
      vibe: 'calm'
    })
    expect(unknown).toEqual(['https://unlisted.test/ns/v1'])
    expect(typesOf(node)).toEqual([`${AS}Person`])
    expect(idOf(node, LDP_INBOX)).toBe('https://unlisted.test/users/hal/inbox')
    expect(valueOf(node, '_:vibe')).toBe('calm')
  })

  it('works without an onUnknown callback', async () => {
    const remote = await createDocumentLoader({})('https://unlisted.test/other')
    expect(remote.document).toEqual({ '@context': {} })
  })
})

describe('registerContext', () => {
  const url = 'https://hub.test/ns/ioocloud/v1'
  const document = { '@context': { ioo: 'https://hub.test/ns/ioocloud#', provider: { '@id': 'ioo:provider', '@type': '@id' } } }

  it('makes a new context URL load from memory', async () => {
    expect(preloadedContext(url)).toBeUndefined()
    registerContext(url, document)
    const { node, unknown } = await expandOffline({
      '@context': ['https://www.w3.org/ns/activitystreams', url],
      id: 'https://hub.test/u/example',
      type: 'Service',
      provider: 'https://coop.test/'
    })
    expect(unknown).toEqual([])
    expect(idOf(node, 'https://hub.test/ns/ioocloud#provider')).toBe('https://coop.test/')
  })

  it('keeps its own frozen copy of the document', () => {
    const mine = structuredClone(document)
    registerContext('https://hub.test/ns/ioocloud/v2', mine)
    mine['@context'].ioo = 'https://changed.test/'
    expect(preloadedContext('https://hub.test/ns/ioocloud/v2')).toEqual(document)
    expect(Object.isFrozen(preloadedContext('https://hub.test/ns/ioocloud/v2'))).toBe(true)
  })

  it('refuses to replace a preloaded context or to take malformed input', () => {
    expect(() => registerContext('http://www.w3.org/ns/activitystreams', document)).toThrow(/preloaded/)
    expect(() => registerContext('/ns/relative', document)).toThrow(TypeError)
    expect(() => registerContext('https://hub.test/ns/bad', { ioo: 'https://hub.test/ns/ioocloud#' })).toThrow(TypeError)
    expect(() => registerContext('https://hub.test/ns/bad', null)).toThrow(TypeError)
    expect(preloadedContext('https://hub.test/ns/bad')).toBeUndefined()
  })
})
