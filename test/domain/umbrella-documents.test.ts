// The decision Question must be a poll Mastodon renders, and the hub's own terms must survive
// apex's compaction against the hub context under their short names (ioo: IRIs).
import { HUB_CONTEXT_URL, hubContextDocument, hubContextTerms } from '../../src/federation/jsonld/hub-context'
import { createDocumentLoader } from '../../src/federation/jsonld/document-loader'
import { registerContext } from '../../src/federation/jsonld/preloaded-contexts'
import { SchemaValidator } from '../../src/schemas/schema-validator'
import { newDecision } from '../../src/domain/umbrella/decision'
import { decisionQuestion, voteNote } from '../../src/domain/umbrella/decision-question'
import { commitmentObject, projectPage } from '../../src/domain/umbrella/project-page'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const apexUtils = require('activitypub-express/pub/utils') as { fromJSONLD: (this: unknown, doc: unknown) => Promise<Record<string, unknown>> }
registerContext(HUB_CONTEXT_URL, hubContextDocument())
const AS2 = 'https://www.w3.org/ns/activitystreams'
const APEX_CONTEXT = [AS2, 'https://w3id.org/security/v1', hubContextTerms()]
const loader = createDocumentLoader()
const validator = new SchemaValidator()
const U = 'https://u.test/u/net'
const audience = { to: ['https://www.w3.org/ns/activitystreams#Public'], cc: [`${U}/followers`, 'https://a.test/u/alpha'] }

async function compacted (doc: Record<string, unknown>): Promise<Record<string, unknown>> {
  return await apexUtils.fromJSONLD.call({ context: APEX_CONTEXT, jsonldContextLoader: loader }, { '@context': [AS2, HUB_CONTEXT_URL], ...doc })
}

const decision = {
  ...newDecision({ id: `${U}/decisions/1`, umbrellaId: U, question: 'Fund <sync>?', closesAt: '2026-03-08T12:00:00Z', rule: 'consensus', quorum: 0.5, action: { type: 'ioo:ApproveProject', object: `${U}/projects/sync` } }, '2026-03-01T00:00:00.000Z'),
  status: 'passed' as const,
  closedAt: '2026-03-08T12:00:00.000Z'
}
const tally = { counts: { agree: 2, abstain: 1, disagree: 0, block: 0 }, votersCount: 3 }

describe('umbrella documents', () => {
  it('the decision is a poll as Mastodon reads one: Question, oneOf Notes with replies.totalItems, endTime, votersCount, closed', () => {
    const q = decisionQuestion(decision, tally, audience)
    expect(q.type).toContain('Question')
    expect(q.content).toBe('<p>Fund &lt;sync&gt;?</p>')
    expect(q.oneOf).toEqual([
      { type: 'Note', name: 'agree', replies: { type: 'Collection', totalItems: 2 } },
      { type: 'Note', name: 'abstain', replies: { type: 'Collection', totalItems: 1 } },
      { type: 'Note', name: 'disagree', replies: { type: 'Collection', totalItems: 0 } },
      { type: 'Note', name: 'block', replies: { type: 'Collection', totalItems: 0 } }
    ])
    expect(q).toMatchObject({ endTime: '2026-03-08T12:00:00.000Z', votersCount: 3, closed: '2026-03-08T12:00:00.000Z', decisionStatus: 'passed' })
    expect(validator.validate('objects/decision.schema.json', q)).toBe(q)
  })

  it('the hub\'s terms keep their short names through apex\'s compaction, Mastodon\'s poll terms too', async () => {
    // apex keeps every value in an array.
    const q = await compacted(decisionQuestion(decision, tally, audience))
    expect(q).toMatchObject({ rule: ['consensus'], quorum: ['0.5'], decisionStatus: ['passed'], votersCount: [3], decisionAction: [{ type: 'ioo:ApproveProject', object: [`${U}/projects/sync`] }] })
    expect((q.oneOf as unknown[]).length).toBe(4)
    expect(q.endTime).toEqual(['2026-03-08T12:00:00.000Z'])
    const built = projectPage({
      id: `${U}/projects/sync`, umbrellaId: U, key: 'sync', name: 'Sync', summary: 'Better sync', upstream: { name: 'Up', url: 'https://up.test' },
      milestones: [{ name: 'Design', due: null, status: 'done' }], poolIds: ['https://u.test/o/pool'], approved: true, local: true,
      createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-02T00:00:00.000Z'
    }, { hours: '12.50', money: [{ type: 'MonetaryAmount', currency: 'EUR', value: '100.30' }] }, audience)
    expect(validator.validate('objects/shared-project.schema.json', built)).toBe(built)
    const page = await compacted(built)
    expect(page).toMatchObject({
      type: ['Page', 'vf:Plan', 'ioo:SharedProject'], committedHours: ['12.50'], committed: [{ currency: ['EUR'], value: ['100.30'] }],
      milestones: [{ type: 'ioo:Milestone', name: ['Design'], milestoneStatus: ['done'] }], fundedBy: ['https://u.test/o/pool'], approved: [true], upstream: [{ name: ['Up'] }]
    })
  })

  it('the vote and the commitment validate against their schemas', async () => {
    const vote = voteNote({ id: 'https://a.test/o/v', voterId: 'https://a.test/u/alpha', decisionId: `${U}/decisions/1`, umbrellaId: U, choice: 'agree', published: '2026-03-02T00:00:00.000Z' })
    expect(validator.validate('objects/vote.schema.json', vote)).toBe(vote)
    expect(await compacted(vote)).toMatchObject({ type: 'Note', name: ['agree'], inReplyTo: [`${U}/decisions/1`] })
    const c = commitmentObject({ id: 'https://a.test/o/c', memberId: 'https://a.test/u/alpha', umbrellaId: U, projectId: `${U}/projects/sync`, hours: '3.5', amount: { currency: 'EUR', value: '0.20' }, note: null, published: '2026-03-02T00:00:00.000Z' })
    expect(validator.validate('objects/project-commitment.schema.json', c)).toBe(c)
    expect(await compacted(c)).toMatchObject({ hours: ['3.5'], provider: ['https://a.test/u/alpha'], receiver: [U], amount: [{ value: ['0.20'] }] })
    expect(() => validator.validate('objects/project-commitment.schema.json', { ...c, hours: 3.5 })).toThrow('hours')
  })
})
