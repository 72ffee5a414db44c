// The example activities in federation/examples/ are the published contract's test vectors: each
// must validate against the hub's schemas and expand (offline, with the hub's document loader)
// with every property and type an absolute IRI in a known namespace: no undefined terms.
import fs from 'node:fs'
import path from 'node:path'
import jsonld from 'jsonld'
import { createDocumentLoader } from '../../src/federation/jsonld/document-loader'
import { HUB_CONTEXT_URL, hubContextDocument } from '../../src/federation/jsonld/hub-context'
import { registerContext } from '../../src/federation/jsonld/preloaded-contexts'
import { SchemaName, SchemaValidator } from '../../src/schemas/schema-validator'
import { buildUmbrellaActor } from '../../src/umbrellas/umbrella-actor'

const DIR = path.join(__dirname, '..', '..', 'federation', 'examples')
const FILES = fs.readdirSync(DIR).filter(f => f.endsWith('.json')).sort()
const NAMESPACES = [
  'https://www.w3.org/ns/activitystreams#', 'https://w3id.org/ioocloud/ns#', 'https://w3id.org/valueflows/ont/vf#',
  'http://schema.org/', 'http://www.ontology-of-units-of-measure.org/resource/om-2/', 'https://w3id.org/security#',
  // Mastodon's namespace (votersCount of a decision's Question) and LDP's (an actor's inbox).
  'http://joinmastodon.org/ns#', 'http://www.w3.org/ns/ldp#'
]
const validator = new SchemaValidator()

/** The object schema for an embedded object, by its type list; null for plain references. */
function schemaFor (object: Record<string, unknown>): SchemaName | null {
  const types = ([] as unknown[]).concat(object.type)
  if (types.includes('ioo:FundingPool')) return 'objects/funding-pool.schema.json'
  if (types.includes('ioo:Pledge')) return 'objects/pledge.schema.json'
  if (types.includes('ioo:MemberExchangeAgreement')) return 'objects/member-exchange-agreement.schema.json'
  if (types.includes('ioo:HostedService')) return 'objects/hosted-service.schema.json'
  if (types.includes('ioo:DirectoryEntry')) return 'objects/directory-entry-as2.schema.json'
  if (types.includes('ioo:Decision')) return 'objects/decision.schema.json'
  if (types.includes('ioo:SharedProject')) return 'objects/shared-project.schema.json'
  if (types.includes('ioo:ProjectCommitment')) return 'objects/project-commitment.schema.json'
  // A Note with a project as its context is a progress post (plain ActivityStreams); any other Note is a vote.
  if (types.length === 1 && types[0] === 'Note') return typeof object.context === 'string' && object.context.includes('/projects/') ? null : 'objects/vote.schema.json'
  throw new Error(`no schema for type ${JSON.stringify(object.type)}`)
}

/** Every property IRI and type IRI in an expanded document that is not in a known namespace. */
function undefinedTerms (node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach(n => undefinedTerms(n, found))
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key === '@type') {
        for (const t of ([] as unknown[]).concat(value)) if (typeof t === 'string' && !NAMESPACES.some(ns => t.startsWith(ns)) && !t.startsWith('http://www.w3.org/2001/XMLSchema#')) found.push(`@type ${t}`)
      } else if (!key.startsWith('@') && !NAMESPACES.some(ns => key.startsWith(ns))) {
        found.push(key)
      }
      if (key !== '@value') undefinedTerms(value, found)
    }
  }
  return found
}

describe('federation/examples', () => {
  beforeAll(() => registerContext(HUB_CONTEXT_URL, hubContextDocument()))

  it('has an example of every activity the FEDERATION.md lists for pools, pledges and agreements', () => {
    expect(FILES).toEqual(expect.arrayContaining([
      'funding-pool-create.json', 'funding-pool-update.json', 'pledge-offer.json', 'pledge-accept.json', 'pledge-reject.json',
      'pledge-undo.json', 'pledge-fulfilled-update.json', 'agreement-offer.json', 'agreement-accept.json',
      'agreement-amend-update.json', 'agreement-terminate-update.json'
    ]))
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'federation', 'FEDERATION.md'), 'utf8')
    for (const f of FILES) expect(doc).toContain(`examples/${f}`)
  })

  it('has an example of every umbrella activity and object', () => {
    expect(FILES).toEqual(expect.arrayContaining([
      'umbrella-actor.json', 'umbrella-join.json', 'umbrella-join-accept.json', 'umbrella-join-reject.json', 'umbrella-leave.json',
      'umbrella-members-add.json', 'umbrella-members-remove.json', 'umbrella-remove-member.json', 'decision-question-create.json',
      'decision-closed-update.json', 'vote-create.json', 'vote-reject.json', 'project-page-create.json', 'project-page-update.json',
      'commitment-create.json', 'project-progress-note.json'
    ]))
  })

  it('shows the umbrella actor exactly as the hub builds it', () => {
    const example = JSON.parse(fs.readFileSync(path.join(DIR, 'umbrella-actor.json'), 'utf8'))
    const built = buildUmbrellaActor('https://hub-a.example', {
      username: example.preferredUsername, name: example.name, summary: example.summary, url: example.url, membershipPolicy: example.membershipPolicy
    }, example.publicKey.publicKeyPem)
    expect(example).toEqual({ '@context': example['@context'], ...built, published: example.published })
  })

  it('totals the project commitments of the example exactly, per currency', () => {
    const update = JSON.parse(fs.readFileSync(path.join(DIR, 'project-page-update.json'), 'utf8'))
    expect(update.object.committedHours).toBe('100.30')
    expect(update.object.committed).toEqual([{ type: 'MonetaryAmount', currency: 'EUR', value: '100.30' }])
  })

  it.each(FILES)('%s validates against the schemas', (file) => {
    const activity = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'))
    // A DirectoryEntry travels in the directory feed and API, not in an activity: the example is the object itself.
    if (([] as unknown[]).concat(activity.type).includes('ioo:DirectoryEntry')) {
      expect(() => validator.validate('objects/directory-entry-as2.schema.json', activity, file)).not.toThrow()
      return
    }
    // An actor is fetched, not sent: its example is the document itself (checked against the builder below).
    if (([] as unknown[]).concat(activity.type).includes('ioo:Umbrella')) {
      expect(activity.type).toEqual(['Group', 'ioo:Umbrella'])
      return
    }
    expect(typeof activity.actor).toBe('string')
    for (const key of ['object', 'result']) {
      const embedded = activity[key]
      if (embedded && typeof embedded === 'object') {
        const schema = schemaFor(embedded)
        if (schema) expect(() => validator.validate(schema, embedded, file)).not.toThrow()
      }
    }
  })

  it.each(FILES)('%s expands offline with no undefined terms', async (file) => {
    const activity = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'))
    const unknown: string[] = []
    const expanded = await jsonld.expand(activity, { documentLoader: createDocumentLoader({ onUnknown: url => unknown.push(url) }) })
    expect(unknown).toEqual([])
    expect(expanded).toHaveLength(1)
    expect(undefinedTerms(expanded)).toEqual([])
  })

  it('reads the money and the ValueFlows terms as the hub means them', async () => {
    const activity = JSON.parse(fs.readFileSync(path.join(DIR, 'pledge-accept.json'), 'utf8'))
    const [node] = await jsonld.expand(activity, { documentLoader: createDocumentLoader() })
    const result = (node['https://www.w3.org/ns/activitystreams#result'] as any[])[0]
    expect(result['@type']).toEqual(['https://w3id.org/valueflows/ont/vf#Agreement', 'https://w3id.org/ioocloud/ns#Pledge'])
    const amount = result['https://w3id.org/ioocloud/ns#amount'][0]
    expect(amount['@type']).toEqual(['http://schema.org/MonetaryAmount'])
    expect(amount['http://schema.org/value']).toEqual([{ '@value': '250.50' }])
    const commitment = result['https://w3id.org/valueflows/ont/vf#stipulates'][0]
    expect(commitment['https://w3id.org/valueflows/ont/vf#provider']).toEqual([{ '@id': 'https://hub-b.example/u/beta' }])
    expect(commitment['https://w3id.org/valueflows/ont/vf#finished']).toEqual([{ '@value': false, '@type': 'http://www.w3.org/2001/XMLSchema#boolean' }])
  })

  it('a document in Bonfire\'s ValueFlows namespace reads the same once aliased', async () => {
    const { aliasValueFlows } = await import('../../src/federation/inbox/valueflows-alias')
    const bonfire = {
      '@context': ['https://www.w3.org/ns/activitystreams', { ValueFlows: 'https://w3id.org/valueflows#' }],
      type: 'ValueFlows:Agreement',
      'ValueFlows:stipulates': { type: 'https://w3id.org/valueflows#Commitment' }
    }
    const [node] = await jsonld.expand(aliasValueFlows(bonfire), { documentLoader: createDocumentLoader() })
    expect(node['@type']).toEqual(['https://w3id.org/valueflows/ont/vf#Agreement'])
    expect((node['https://w3id.org/valueflows/ont/vf#stipulates'] as any[])[0]['@type']).toEqual(['https://w3id.org/valueflows/ont/vf#Commitment'])
  })
})
