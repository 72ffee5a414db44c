import { buildOpenApiDocument } from '../../src/api/openapi'
import { api, eventually } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'

/** Projects, commitments, posts, decisions and votes on one hub: the umbrella and a member co-op live together. */
describe('umbrella work API', () => {
  let hub: TestHub
  let net: { id: string, token: string }
  let alpha: { id: string, token: string }
  let outsider: { id: string, token: string }
  const milestones = [{ name: 'Design', status: 'active' }, { name: 'Release', status: 'planned' }]

  beforeAll(async () => {
    hub = await startTestHub()
    net = (await api(hub, 'POST', '/api/v1/umbrellas', hub.adminToken, { username: 'net', name: 'Network', membershipPolicy: 'open' })).json
    alpha = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'alpha', name: 'Alpha' })).json
    outsider = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'outsider', name: 'Outsider' })).json
    expect((await api(hub, 'POST', '/api/v1/umbrellas/net/members', hub.adminToken, { actor: alpha.id })).status).toBe(201)
  })
  afterAll(async () => { await hub?.stop() })

  it('creates and updates a project; refuses bad keys, bodies and tokens with 4xx and changes nothing', async () => {
    expect((await api(hub, 'PUT', '/api/v1/umbrellas/net/projects/Bad_Key', net.token, { name: 'x', summary: 'y', milestones })).status).toBe(400)
    expect((await api(hub, 'PUT', '/api/v1/umbrellas/net/projects/sync', net.token, { name: 'x', milestones })).status).toBe(400)
    expect((await api(hub, 'PUT', '/api/v1/umbrellas/net/projects/sync', alpha.token, { name: 'x', summary: 'y', milestones })).status).toBe(403)
    expect((await api(hub, 'GET', '/api/v1/umbrellas/net/projects')).json.items).toEqual([])
    const created = await api(hub, 'PUT', '/api/v1/umbrellas/net/projects/sync', net.token, { name: 'Sync', summary: 'Rewrite sync', milestones })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ id: `${net.id}/projects/sync`, milestones: [{ name: 'Design', status: 'active' }, { name: 'Release', status: 'planned' }] })
    const updated = await api(hub, 'PUT', '/api/v1/umbrellas/net/projects/sync', net.token, { name: 'Sync', summary: 'Rewrite sync', milestones: [{ name: 'Design', status: 'done' }, milestones[1]] })
    expect(updated.status).toBe(200)
    expect((await api(hub, 'GET', '/api/v1/umbrellas/net/projects/sync')).json.milestones[0].status).toBe('done')
    expect((await api(hub, 'GET', '/api/v1/umbrellas/net/projects/nope')).status).toBe(404)
    const page = await fetch(`${net.id}/projects/sync`, { headers: { accept: 'application/activity+json' } })
    expect(page.headers.get('content-type')).toMatch(/application\/activity\+json/)
    expect(await page.json()).toMatchObject({ id: `${net.id}/projects/sync`, type: ['Page', 'vf:Plan', 'ioo:SharedProject'] })
  })

  it('records a member\'s commitments exactly and refuses a non-member\'s', async () => {
    const project = `${net.id}/projects/sync`
    expect((await api(hub, 'POST', '/api/v1/coops/outsider/commitments', outsider.token, { project, hours: '2' })).status).toBe(400)
    expect((await api(hub, 'POST', '/api/v1/coops/alpha/commitments', alpha.token, { project: `${net.id}/projects/none`, hours: '2' })).status).toBe(404)
    for (const value of ['100.10', '0.20']) expect((await api(hub, 'POST', '/api/v1/coops/alpha/commitments', alpha.token, { project, amount: { currency: 'EUR', value } })).status).toBe(202)
    const view = (await api(hub, 'GET', '/api/v1/umbrellas/net/projects/sync')).json
    expect(view.committed.money).toEqual([expect.objectContaining({ currency: 'EUR', value: '100.30' })])
    expect(view.committed.perMember).toHaveLength(1)
    const collection: any = await (await fetch(`${project}/commitments`, { headers: { accept: 'application/activity+json' } })).json()
    expect(collection.totalItems).toBe(2)
  })

  it('opens a decision, counts a local member\'s vote at once, and refuses bad votes with 4xx', async () => {
    const closesAt = new Date(Date.now() + 3600_000).toISOString()
    expect((await api(hub, 'POST', '/api/v1/umbrellas/net/decisions', net.token, { question: 'Q?', closesAt: '2000-01-01T00:00:00Z', rule: 'majority' })).status).toBe(400)
    expect((await api(hub, 'POST', '/api/v1/umbrellas/net/decisions', alpha.token, { question: 'Q?', closesAt, rule: 'majority' })).status).toBe(403)
    const opened = await api(hub, 'POST', '/api/v1/umbrellas/net/decisions', net.token, { question: 'Adopt the plan?', closesAt, rule: 'consensus', quorum: 0.5 })
    expect(opened.status).toBe(201)
    const id = opened.json.id
    expect((await api(hub, 'POST', '/api/v1/coops/alpha/votes', alpha.token, { decision: id, choice: 'maybe' })).status).toBe(400)
    expect((await api(hub, 'POST', '/api/v1/coops/outsider/votes', outsider.token, { decision: id, choice: 'agree' })).status).toBe(400)
    expect((await api(hub, 'POST', '/api/v1/coops/alpha/votes', alpha.token, { decision: `${net.id}/decisions/none`, choice: 'agree' })).status).toBe(404)
    expect((await api(hub, 'POST', '/api/v1/coops/alpha/votes', alpha.token, { decision: id, choice: 'agree' })).status).toBe(202)
    const view = (await api(hub, 'GET', `/api/v1/umbrellas/net/decisions/${id.split('/').pop()}`)).json
    expect(view).toMatchObject({ status: 'open', tally: { agree: 1, abstain: 0, disagree: 0, block: 0 }, voters: 1, members: 1 })
    expect((await api(hub, 'GET', '/api/v1/coops/alpha/votes', alpha.token)).json.items).toEqual([expect.objectContaining({ decision: id, choice: 'agree', refused: null })])
    const question: any = await (await fetch(id, { headers: { accept: 'application/activity+json' } })).json()
    expect(question).toMatchObject({ type: ['Question', 'ioo:Decision'], votersCount: 1, endTime: view.closesAt })
    expect((await api(hub, 'GET', '/api/v1/umbrellas/net/decisions')).json.items.map((d: any) => d.id)).toEqual([id])
  })

  it('keeps a progress post per project and refuses a blank one', async () => {
    expect((await api(hub, 'POST', '/api/v1/umbrellas/net/projects/sync/posts', net.token, { content: '' })).status).toBe(400)
    expect((await api(hub, 'POST', '/api/v1/umbrellas/net/projects/none/posts', net.token, { content: 'x' })).status).toBe(404)
    expect((await api(hub, 'POST', '/api/v1/umbrellas/net/projects/sync/posts', net.token, { content: 'Design done' })).status).toBe(201)
    const posts = await eventually(async () => (await api(hub, 'GET', '/api/v1/umbrellas/net/projects/sync/posts')).json.items, 'the post')
    expect(posts).toEqual([expect.objectContaining({ content: '<p>Design done</p>' })])
  })
})

describe('OpenAPI document: umbrella work', () => {
  it('covers every project, commitment, post, decision and vote route, with bodies from the schemas', () => {
    const doc = buildOpenApiDocument('https://hub.example', '1.0.0') as any
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/umbrellas/{umbrella}/projects', '/api/v1/umbrellas/{umbrella}/projects/{key}', '/api/v1/umbrellas/{umbrella}/projects/{key}/posts',
      '/api/v1/coops/{username}/commitments', '/api/v1/umbrellas/{umbrella}/decisions', '/api/v1/umbrellas/{umbrella}/decisions/{id}', '/api/v1/coops/{username}/votes'
    ]))
    expect(doc.paths['/api/v1/coops/{username}/votes'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/VoteCreateRequest' })
    for (const name of ['ProjectPutRequest', 'CommitmentCreateRequest', 'DecisionCreateRequest', 'VoteCreateRequest', 'ProgressPostRequest']) expect(doc.components.schemas[name]).toBeDefined()
  })
})
