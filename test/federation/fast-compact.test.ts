// The fast compaction must give exactly what apex's own fromJSONLD (jsonld.js) gives, or step
// aside: compared here on the peers' fixtures, the published examples and generated documents.
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { hubContextTerms, HUB_CONTEXT_URL, hubContextDocument } from '../../src/federation/jsonld/hub-context'
import { createDocumentLoader } from '../../src/federation/jsonld/document-loader'
import { registerContext } from '../../src/federation/jsonld/preloaded-contexts'
import { FastCompaction } from '../../src/federation/jsonld/fast-compact'

// apex's own function, called as apex calls it (`this` holds its context and loader).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const apexUtils = require('activitypub-express/pub/utils') as { fromJSONLD: (this: unknown, doc: unknown) => Promise<unknown> }

type Json = Record<string, unknown>

registerContext(HUB_CONTEXT_URL, hubContextDocument())
const documentLoader = createDocumentLoader()
const APEX_CONTEXT = ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1', hubContextTerms()]
const AS2 = 'https://www.w3.org/ns/activitystreams'

async function apexFromJsonLd (doc: Json): Promise<{ ok: true, value: unknown } | { ok: false }> {
  try {
    return { ok: true, value: await apexUtils.fromJSONLD.call({ context: APEX_CONTEXT, jsonldContextLoader: documentLoader }, doc) }
  } catch {
    return { ok: false }
  }
}

/** Compares the two on one document; true when the fast path answered (false: it stepped aside). */
async function compare (fast: FastCompaction, doc: Json): Promise<boolean> {
  const before = JSON.stringify(doc)
  const knownBefore = fast.compactNow(doc)
  const quick = await fast.compact(doc)
  // What it answers at once before learning from this document is what `compact` answers.
  if (knownBefore !== undefined) expect(JSON.stringify(knownBefore)).toBe(JSON.stringify(quick))
  // After it (with the probes this document made), it may answer at once where `compact` gave up.
  const knownAfter = fast.compactNow(doc)
  expect(JSON.stringify(doc)).toBe(before)
  const answers = [quick, knownAfter].filter(answer => answer != null)
  if (answers.length === 0) return false
  const slow = await apexFromJsonLd(structuredClone(doc))
  expect(slow.ok).toBe(true)
  // Key order included: the store keeps the JSON text.
  for (const answer of answers) expect(JSON.stringify(answer)).toBe(JSON.stringify((slow as { value: unknown }).value))
  return quick !== null
}

function fixtures (): Array<{ name: string, doc: Json }> {
  const root = path.join(__dirname, '..', '..')
  const dirs = [path.join(root, 'test', 'fixtures', 'peers'), path.join(root, 'federation', 'examples')]
  return dirs.flatMap(dir => fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort().map(f => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8')
      .replaceAll('TARGET_ACTOR', 'https://hub.example/u/coop')
      .replaceAll('REPLACED_IN_TEST', '-----BEGIN PUBLIC KEY-----\\nMIIB\\n-----END PUBLIC KEY-----\\n')
    return { name: `${path.basename(dir)}/${f}`, doc: JSON.parse(text) as Json }
  }))
}

describe('fast JSON-LD compaction: the same as apex with jsonld.js, or none', () => {
  test('fixtures: identical wherever it answers, and it answers for the hub\'s own documents', async () => {
    const fast = new FastCompaction(APEX_CONTEXT, documentLoader)
    const answered: string[] = []
    for (const { name, doc } of fixtures()) {
      // Twice: the second run uses what the first learnt.
      await compare(fast, structuredClone(doc))
      if (await compare(fast, structuredClone(doc))) answered.push(name)
    }
    const examples = fs.readdirSync(path.join(__dirname, '..', '..', 'federation', 'examples')).filter(f => f.endsWith('.json'))
    for (const f of examples) expect(answered).toContain(`examples/${f}`)
    expect(answered).toEqual(expect.arrayContaining(['peers/gotosocial-actor.json', 'peers/mastodon-follow.json']))
  })

  test('a plain Create of a Note, without a context and with the public address, is answered', async () => {
    const fast = new FastCompaction(APEX_CONTEXT, documentLoader)
    const create = {
      '@context': AS2, id: 'https://peer.example/users/1/activities/5', type: 'Create', actor: 'https://peer.example/users/1',
      to: ['https://hub.example/u/coop', 'https://www.w3.org/ns/activitystreams#Public'],
      object: { id: 'https://peer.example/users/1/notes/5', type: 'Note', attributedTo: 'https://peer.example/users/1', content: 'Hello', published: '2026-01-02T03:04:05Z' }
    }
    for (let i = 0; i < 2; i++) expect(await compare(fast, structuredClone(create))).toBe(true)
    const { '@context': _context, ...bare } = create
    expect(await compare(fast, bare)).toBe(true)
    expect(((await fast.compact(structuredClone(create))) as { to: string[] }).to).toEqual(['https://hub.example/u/coop', 'as:Public'])
  })

  test('answers at once only what it has learnt: a context and shapes seen before', async () => {
    const fast = new FastCompaction(APEX_CONTEXT, documentLoader)
    const note = (n: number): Json => ({ '@context': AS2, id: `https://peer.example/n/${n}`, type: 'Note', content: `note ${n}` })
    expect(fast.compactNow(note(1))).toBeUndefined()
    const first = await fast.compact(note(1))
    expect(first).not.toBeNull()
    // Another document of the same context and shape: at once, and as `compact` gives it.
    expect(fast.compactNow(note(2))).toEqual(await fast.compact(note(2)))
    // A new key is a probe to make first; another context is one to process first.
    expect(fast.compactNow({ ...note(3), summary: 'new key' })).toBeUndefined()
    expect(fast.compactNow({ ...note(4), '@context': [AS2, 'https://w3id.org/security/v1'] })).toBeUndefined()
    // Nor does it answer what goes to jsonld.js.
    expect(fast.compactNow({ ...note(5), contentMap: { en: 'Hello' } })).toBeUndefined()
  })

  test('what it cannot reproduce goes to jsonld.js', async () => {
    const fast = new FastCompaction(APEX_CONTEXT, documentLoader)
    const base = { '@context': AS2, id: 'https://peer.example/n/1', type: 'Note' }
    const refused: Json[] = [
      { ...base, contentMap: { en: 'Hello' } },
      { ...base, '@context': [AS2, { '@language': 'en' }], content: 'Hello' },
      { ...base, orderedItems: ['https://peer.example/a'] },
      { ...base, attributedTo: 'relative/path' },
      { ...base, attributedTo: 'as:Public' },
      { ...base, content: ['a', ['nested']] },
      { ...base, '@context': [AS2, null], content: 'x' },
      { id: 'https://peer.example/only-an-id' },
      { ...base, content: { '@value': 'x' } }
    ]
    for (const doc of refused) expect(await fast.compact(structuredClone(doc))).toBeNull()
  })

  test('a document with many new shapes learns a bounded few per document before it is answered', async () => {
    const fast = new FastCompaction(APEX_CONTEXT, documentLoader)
    // Bare words are terms under AS2's "@vocab": "_:" (as Mastodon's `signature` is): each needs a probe.
    const doc: Json = { '@context': AS2, id: 'https://peer.example/n/many', type: 'Note' }
    for (let i = 0; i < 70; i++) doc[`word${i}`] = `value ${i}`
    const answers: boolean[] = []
    for (let i = 0; i < 4; i++) answers.push(await compare(fast, structuredClone(doc)))
    expect(answers).toEqual([false, false, true, true])
  })

  test.each([['any', false], ['mostly plain', true]])('generated documents (%s): identical wherever it answers', async (_kind, plain) => {
    const fast = new FastCompaction(APEX_CONTEXT, documentLoader)
    let answered = 0
    let total = 0
    await fc.assert(fc.asyncProperty(documentArbitrary(plain), async doc => {
      total++
      if (await compare(fast, doc)) answered++
    }), { numRuns: Number(process.env.PROPERTY_RUNS ?? 300), seed: process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED) })
    // The generators are tuned so that a good share takes the fast path: the comparison means something.
    if (process.env.FC_VERBOSE) console.log(`answered ${answered} of ${total}`)
    expect(answered).toBeGreaterThan(total / 10)
  })
})

const IRIS = [
  'https://peer.example/users/1', 'http://peer.example/notes/2#frag', 'https://hub.example/u/coop/followers',
  'https://www.w3.org/ns/activitystreams#Public', 'https://w3id.org/security#key', 'http://schema.org/Thing',
  'https://w3id.org/ioocloud/ns#x', 'https://www.w3.org/ns/activitystreams', 'http://127.0.0.1:8080/u/a?x=1'
]
const ODD_STRINGS = ['as:Public', 'relative/path', '_:b0', '', 'mailto:a@b.example', 'https://bad iri.example/']
const KEYS = [
  'actor', 'object', 'to', 'cc', 'content', 'contentMap', 'name', 'summary', 'published', 'updated', 'totalItems',
  'orderedItems', 'items', 'url', 'attributedTo', 'inReplyTo', 'tag', 'startTime', 'mediaType', 'href', 'preferredUsername',
  'inbox', 'followers', 'publicKey', 'publicKeyPem', 'owner', 'parties', 'amount', 'pledged', 'knowsLanguage',
  'acceptingMembers', 'services', 'hasNumericalValue', 'goal', 'currency', 'ioo:source', 'as:actor', 'toot:featured',
  'sec:publicKeyPem', 'signature', 'sensitive', 'featured', 'foo:bar', '@type', '@value', '@list', '@language'
]
const PLAIN_KEYS = KEYS.filter(k => !['contentMap', 'orderedItems', 'foo:bar', '@type', '@value', '@list', '@language', 'knowsLanguage'].includes(k))
const TYPES = ['Create', 'Note', 'Person', 'Collection', 'OrderedCollection', 'Multikey', 'ioo:FundingPool', 'vf:Commitment', 'Hashtag', 'Unknown', 'https://example.org/T', 'as:Note']
const CONTEXTS: unknown[] = [
  undefined, AS2, [AS2, 'https://w3id.org/security/v1'], [AS2, HUB_CONTEXT_URL],
  [AS2, { toot: 'http://joinmastodon.org/ns#', sensitive: 'as:sensitive', featured: { '@id': 'toot:featured', '@type': '@id' }, Hashtag: 'as:Hashtag' }],
  [AS2, { '@language': 'en' }], [AS2, { content: { '@id': 'as:content', '@type': '@id' } }], [AS2, { '@vocab': 'http://example.org/v#' }],
  ['https://w3id.org/security/data-integrity/v1', AS2], [AS2, { name: 'as:summary' }], [AS2, { amount: { '@id': 'ioo:amount', '@type': 'xsd:decimal' } }]
]

/** Documents over the vocabularies peers use; `plain` leaves out most of what sends them to jsonld.js. */
function documentArbitrary (plain: boolean): fc.Arbitrary<Json> {
  const iri = fc.constantFrom(...IRIS)
  const keys = plain ? PLAIN_KEYS : KEYS
  const scalar = fc.oneof(
    { weight: 4, arbitrary: iri },
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: plain ? 0 : 1, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) }
  )
  const types = plain ? TYPES.filter(t => t !== 'Multikey') : TYPES
  const type = fc.oneof(fc.constantFrom(...types), fc.array(fc.constantFrom(...types), { minLength: plain ? 1 : 0, maxLength: 3 }))
  const { node } = fc.letrec<{ node: Json, value: unknown }>(tie => ({
    node: fc.record({
      id: fc.option(iri, { nil: undefined, freq: 3 }),
      type: fc.option(type, { nil: undefined, freq: 4 }),
      props: fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 5 })
    }).map(({ id, type, props }) => ({ ...(id === undefined ? {} : { id }), ...(type === undefined ? {} : { type }), ...props })),
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 5, arbitrary: scalar },
      { weight: 2, arbitrary: fc.array(plain ? scalar : fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxLength: 3 }) },
      { weight: 2, arbitrary: tie('node') },
      { weight: 1, arbitrary: fc.record({ id: iri }) }
    )
  }))
  return fc.record({ context: fc.constantFrom(...(plain ? CONTEXTS.slice(0, 5) : CONTEXTS)), node }).map(({ context, node }) =>
    context === undefined ? node : { '@context': structuredClone(context), ...node })
}
