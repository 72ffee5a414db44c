import { FakePeer, mastodonSignedHeaders } from '../helpers/fake-peer'
import { api, eventually, getActivityJson, HubProcess, startHubProcess } from '../helpers/hub-process'
import { PeerActor, servePeerActor } from '../helpers/peer-actors'
import { loadPeerFixture, MastodonPeer, startMastodonPeer } from './mastodon-peer'

/**
 * Three hubs as separate processes on loopback: an umbrella on A (followed by a Mastodon
 * account), co-ops beta and delta on B, gamma on C, and a co-op actor zeta on a plain fake
 * server whose votes the test signs itself. Beta and delta are accepted by approval; gamma joins
 * after the umbrella switched to `vote` and is admitted by a decision; a shared project gets
 * commitments with exact totals; a decision with a quorum closes with its action applied; every
 * hub shows the same; after every hub restarts nothing is lost.
 */
describe('umbrella projects and decisions across three hubs', () => {
  let a: HubProcess
  let b: HubProcess
  let c: HubProcess
  let mastodon: MastodonPeer
  let zetaServer: FakePeer
  let zeta: PeerActor
  const co: Record<string, { id: string, token: string }> = {}
  let net: { id: string, token: string }
  let projectId = ''
  let decisionId = ''
  const enc = encodeURIComponent
  const AS = 'https://www.w3.org/ns/activitystreams'

  /** How a hub names the umbrella in its API: by username on A, by actor id elsewhere. */
  const ref = (hub: HubProcess): string => hub === a ? 'net' : enc(net.id)
  const membersOn = async (hub: HubProcess): Promise<string> => {
    const res = await api(hub, 'GET', `/api/v1/umbrellas/${ref(hub)}/members`)
    return res.status === 200 ? res.json.items.map((m: any) => m.actorId).sort().join(' ') : `status ${res.status}`
  }
  const sameMembersEverywhere = async (expected: string[], what: string, hubs = [a, b, c]): Promise<void> => {
    const want = [...expected].sort().join(' ')
    for (const hub of hubs) await eventually(async () => await membersOn(hub) === want ? true : undefined, `${what} on ${hub.url}`)
  }
  const lastSegment = (id: string): string => id.slice(id.lastIndexOf('/') + 1)
  const decisionOn = async (hub: HubProcess, id: string): Promise<any> => {
    const res = await api(hub, 'GET', `/api/v1/umbrellas/${ref(hub)}/decisions/${lastSegment(id)}`)
    return res.status === 200 ? res.json : undefined
  }
  const projectOn = async (hub: HubProcess): Promise<any> => {
    const res = await api(hub, 'GET', `/api/v1/umbrellas/${ref(hub)}/projects/sync`)
    return res.status === 200 ? res.json : undefined
  }
  /** What every hub must agree on about a decision. */
  const outcome = (d: any): unknown => ({ status: d.status, tally: d.tally, voters: d.voters, closedAt: d.closedAt })
  /** What every hub must agree on about a project. */
  const totals = (p: any): unknown => ({ milestones: p.milestones, committed: p.committed, approved: p.approved, poolIds: p.poolIds })
  const waitUntilPast = async (iso: string): Promise<void> => {
    const wait = Date.parse(iso) - Date.now() + 50
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
  }
  const runExpiry = async (): Promise<any> => {
    const run = await api(a, 'POST', '/api/v1/jobs/expiry/runs', a.adminToken)
    expect(run.status).toBe(201)
    return run.json
  }

  /** Delivers an activity to the umbrella's inbox signed by `signer`, as Mastodon signs. */
  const deliverToUmbrella = async (signer: { keyId: string, privateKeyPem: string }, activity: Record<string, unknown>): Promise<number> => {
    const url = `${net.id}/inbox`
    const body = JSON.stringify(activity)
    return (await fetch(url, { method: 'POST', body, headers: mastodonSignedHeaders({ url, body, keyId: signer.keyId, privateKeyPem: signer.privateKeyPem }) })).status
  }
  /** A vote in Mastodon's shape from `voter` on the current decision. */
  const vote = (voter: string, n: string, choice: string): Record<string, unknown> => ({
    '@context': AS,
    id: `${voter}#votes/${n}/activity`,
    type: 'Create',
    actor: voter,
    to: [net.id],
    object: { id: `${voter}#votes/${n}`, type: 'Note', name: choice, attributedTo: voter, to: [net.id], inReplyTo: decisionId }
  })
  const rejectsAt = (peer: FakePeer, path: string): any[] =>
    peer.postsTo(path).map(r => JSON.parse(r.body)).filter(x => x.type === 'Reject')

  beforeAll(async () => {
    mastodon = await startMastodonPeer()
    zetaServer = await new FakePeer().start()
    zeta = servePeerActor(zetaServer, 'zeta')
    ;[a, b, c] = await Promise.all([
      startHubProcess({ env: { HUB_ADMISSION_VOTE_SECONDS: '8' } }),
      startHubProcess(),
      startHubProcess()
    ])
    const made = await api(a, 'POST', '/api/v1/umbrellas', a.adminToken, { username: 'net', name: 'Network', membershipPolicy: 'approval' })
    expect(made.status).toBe(201)
    net = made.json
    for (const [hub, username] of [[b, 'beta'], [b, 'delta'], [c, 'gamma']] as const) {
      const coop = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username, name: `${username} co-op` })
      expect(coop.status).toBe(201)
      co[username] = coop.json
    }
    // A Mastodon account follows the umbrella (accepted at once).
    const follow = loadPeerFixture('mastodon-follow.json', mastodon.peer.origin, { TARGET_ACTOR: net.id })
    follow.id = `${mastodon.peer.origin}/follow-net`
    expect(await deliverToUmbrella(mastodon, follow)).toBe(202)
    await eventually(async () => mastodon.peer.postsTo(mastodon.sharedInbox).some(r => JSON.parse(r.body).type === 'Accept') ? true : undefined, 'the Accept of the follow')
  }, 60_000)

  afterAll(async () => {
    if (process.env.HUB_TEST_LOGS) console.log(`A:\n${a?.output()}\nB:\n${b?.output()}\nC:\n${c?.output()}`)
    await Promise.all([a?.stop(), b?.stop(), c?.stop(), mastodon?.peer.stop(), zetaServer?.stop()])
  })

  it('admits a third co-op to a `vote` umbrella by a decision its members pass; every hub shows the same members', async () => {
    for (const username of ['beta', 'delta']) {
      const join = await api(b, 'POST', `/api/v1/coops/${username}/memberships`, co[username].token, { umbrella: `net@127.0.0.1:${a.port}` })
      expect(join.status).toBe(202)
    }
    const requests = await eventually(async () => {
      const res = await api(a, 'GET', '/api/v1/umbrellas/net/join-requests', net.token)
      return res.json.items.filter((r: any) => r.state === 'pending').length === 2 ? res.json.items : undefined
    }, 'two join requests on A')
    for (const request of requests) expect((await api(a, 'POST', `/api/v1/umbrellas/net/join-requests/${enc(request.id)}/accept`, net.token)).status).toBe(200)
    // C has no member yet: it keeps no list of this umbrella.
    await sameMembersEverywhere([co.beta.id, co.delta.id], 'beta and delta', [a, b])

    expect((await api(a, 'PATCH', '/api/v1/umbrellas/net', net.token, { membershipPolicy: 'vote' })).status).toBe(200)
    expect((await api(c, 'POST', '/api/v1/coops/gamma/memberships', co.gamma.token, { umbrella: net.id })).status).toBe(202)
    const admission = await eventually(async () => (await api(a, 'GET', '/api/v1/umbrellas/net/decisions')).json.items[0], 'the admission decision on A')
    expect(admission).toMatchObject({ status: 'open', action: { type: 'ioo:AdmitMember', object: co.gamma.id }, quorum: '0.5', rule: 'majority', members: 2 })
    // Gamma is not admitted by the Join alone.
    expect((await api(a, 'GET', '/api/v1/umbrellas/net/join-requests', net.token)).json.items.find((r: any) => r.actor === co.gamma.id).state).toBe('pending')

    await eventually(async () => await decisionOn(b, admission.id), 'the admission Question on B')
    for (const username of ['beta', 'delta']) {
      const cast = await api(b, 'POST', `/api/v1/coops/${username}/votes`, co[username].token, { decision: admission.id, choice: 'agree' })
      expect(cast.status).toBe(202)
    }
    await eventually(async () => (await decisionOn(a, admission.id)).voters === 2 ? true : undefined, 'both votes counted on A')
    await waitUntilPast(admission.closesAt)
    expect((await runExpiry()).counts).toBeDefined()
    const closed = await decisionOn(a, admission.id)
    expect(closed).toMatchObject({ status: 'passed', actionResult: 'applied', tally: { agree: 2, abstain: 0, disagree: 0, block: 0 } })
    await sameMembersEverywhere([co.beta.id, co.delta.id, co.gamma.id], 'gamma admitted')
    await eventually(async () => (await api(c, 'GET', '/api/v1/coops/gamma/memberships', co.gamma.token)).json.items[0]?.state === 'member' ? true : undefined, 'gamma to know it is a member')
    await eventually(async () => (await decisionOn(b, admission.id))?.status === 'passed' ? true : undefined, 'B to see the admission passed')
  }, 60_000)

  it('shares a project with two milestones and a pool: exact commitments per member and in total on every hub, a milestone done everywhere', async () => {
    const pool = await api(a, 'POST', '/api/v1/coops/net/pools', net.token, {
      name: 'Sync fund', beneficiary: { name: 'Nextcloud', url: 'https://nextcloud.com' }, goal: { value: '500.00', currency: 'EUR' }, period: 'once'
    })
    expect(pool.status).toBe(201)
    const milestones = [{ name: 'Design', status: 'active' }, { name: 'Release', due: '2031-01-01T00:00:00Z', status: 'planned' }]
    const put = await api(a, 'PUT', '/api/v1/umbrellas/net/projects/sync', net.token, { name: 'Calendar sync', summary: 'Rewrite CalDAV sync', milestones, poolId: pool.json.id })
    expect(put.status).toBe(201)
    projectId = put.json.id
    expect(put.json.poolIds).toEqual([pool.json.id])
    const notMine = await api(a, 'PUT', '/api/v1/umbrellas/net/projects/sync', co.beta.token, { name: 'x', summary: 'y', milestones })
    expect(notMine.status).toBe(401)
    for (const hub of [b, c]) await eventually(async () => await projectOn(hub), `the project on ${hub.url}`)

    const commits = [
      ['beta', b, { project: projectId, hours: '12.5', amount: { currency: 'EUR', value: '100.10' }, note: 'two developers' }],
      ['gamma', c, { project: projectId, hours: '3', amount: { currency: 'EUR', value: '0.20' } }]
    ] as const
    for (const [username, hub, body] of commits) expect((await api(hub, 'POST', `/api/v1/coops/${username}/commitments`, co[username].token, body)).status).toBe(202)
    const badAmount = await api(b, 'POST', '/api/v1/coops/delta/commitments', co.delta.token, { project: projectId, amount: { currency: 'EUR', value: '1.234' } })
    expect(badAmount.status).toBe(400)

    const onA = await eventually(async () => { const p = await projectOn(a); return p?.committed.perMember.length === 2 ? p : undefined }, 'both commitments on A')
    expect(onA.committed.hours).toBe('15.50')
    expect(onA.committed.money).toEqual([expect.objectContaining({ currency: 'EUR', value: '100.30' })])
    expect(onA.committed.perMember).toEqual([
      { memberId: co.beta.id, hours: '12.50', money: [expect.objectContaining({ currency: 'EUR', value: '100.10' })] },
      { memberId: co.gamma.id, hours: '3.00', money: [expect.objectContaining({ currency: 'EUR', value: '0.20' })] }
    ])
    for (const hub of [b, c]) {
      await eventually(async () => JSON.stringify(totals(await projectOn(hub))) === JSON.stringify(totals(onA)) ? true : undefined, `the same totals on ${hub.url}`)
    }

    const done = await api(a, 'PUT', '/api/v1/umbrellas/net/projects/sync', net.token, { name: 'Calendar sync', summary: 'Rewrite CalDAV sync', milestones: [{ ...milestones[0], status: 'done' }, milestones[1]] })
    expect(done.status).toBe(200)
    for (const hub of [b, c]) {
      await eventually(async () => (await projectOn(hub))?.milestones[0].status === 'done' ? true : undefined, `the milestone done on ${hub.url}`)
      expect(totals(await projectOn(hub))).toEqual(totals(await projectOn(a)))
    }

    const post = await api(a, 'POST', '/api/v1/umbrellas/net/projects/sync/posts', net.token, { content: 'Design <done>' })
    expect(post.status).toBe(201)
    for (const hub of [b, c]) {
      const posts = await eventually(async () => { const res = await api(hub, 'GET', `/api/v1/umbrellas/${ref(hub)}/projects/sync/posts`); return res.json.items?.length === 1 ? res.json.items : undefined }, `the progress post on ${hub.url}`)
      expect(posts[0]).toMatchObject({ id: post.json.id, content: '<p>Design &lt;done&gt;</p>' })
    }
  }, 60_000)

  it('closes a decision with quorum 0.5: changed votes count once, refused votes are answered, every hub shows the same and the action ran', async () => {
    // Zeta, a co-op on a server the test signs for, is a member: its refused votes must not count either.
    expect((await api(a, 'POST', '/api/v1/umbrellas/net/members', a.adminToken, { actor: zeta.id })).status).toBe(201)
    await sameMembersEverywhere([co.beta.id, co.delta.id, co.gamma.id, zeta.id], 'zeta added')
    const closesAt = new Date(Date.now() + 8000).toISOString()
    const opened = await api(a, 'POST', '/api/v1/umbrellas/net/decisions', net.token, { question: 'Approve the sync project?', closesAt, rule: 'majority', quorum: 0.5, action: { type: 'ioo:ApproveProject', object: projectId } })
    expect(opened.status).toBe(201)
    decisionId = opened.json.id
    expect(opened.json).toMatchObject({ status: 'open', options: ['agree', 'abstain', 'disagree', 'block'], voters: 0, members: 4 })
    for (const hub of [b, c]) await eventually(async () => await decisionOn(hub, decisionId), `the Question on ${hub.url}`)

    const votes = [['beta', b, 'agree'], ['delta', b, 'agree'], ['gamma', c, 'agree'], ['beta', b, 'disagree']] as const
    for (const [username, hub, choice] of votes) {
      expect((await api(hub, 'POST', `/api/v1/coops/${username}/votes`, co[username].token, { decision: decisionId, choice })).status).toBe(202)
      if (username === 'gamma') await eventually(async () => (await decisionOn(a, decisionId)).voters === 3 ? true : undefined, 'three votes on A')
    }
    expect((await api(b, 'POST', '/api/v1/coops/delta/votes', co.delta.token, { decision: decisionId, choice: 'maybe' })).status).toBe(400)
    // Refused at the umbrella: a non-member (the Mastodon account) and a member's unknown option.
    expect(await deliverToUmbrella(mastodon, vote(mastodon.actorId, '1', 'agree'))).toBe(202)
    expect(await deliverToUmbrella(zeta, vote(zeta.id, '1', 'maybe'))).toBe(202)
    const toMastodon = await eventually(async () => rejectsAt(mastodon.peer, mastodon.sharedInbox)[0], 'the Reject of the non-member vote')
    expect(toMastodon).toMatchObject({ actor: net.id, object: `${mastodon.actorId}#votes/1/activity` })
    expect(toMastodon.summary).toMatch(/Only member co-ops/)
    const unknown = await eventually(async () => rejectsAt(zetaServer, new URL(zeta.inbox).pathname)[0], 'the Reject of the unknown option')
    expect(unknown.summary).toMatch(/not one of this decision's options/)

    await eventually(async () => (await decisionOn(a, decisionId)).tally.disagree === 1 ? true : undefined, 'beta\'s changed vote on A')
    const live = await decisionOn(a, decisionId)
    expect(live).toMatchObject({ status: 'open', tally: { agree: 2, abstain: 0, disagree: 1, block: 0 }, voters: 3, members: 4 })
    // The Question is a poll Mastodon renders: oneOf with counts, endTime, votersCount.
    const question = await getActivityJson(decisionId)
    expect(question.type).toEqual(expect.arrayContaining(['Question']))
    expect(question.oneOf).toEqual([
      { type: 'Note', name: 'agree', replies: { type: 'Collection', totalItems: 2 } },
      { type: 'Note', name: 'abstain', replies: { type: 'Collection', totalItems: 0 } },
      { type: 'Note', name: 'disagree', replies: { type: 'Collection', totalItems: 1 } },
      { type: 'Note', name: 'block', replies: { type: 'Collection', totalItems: 0 } }
    ])
    expect(question).toMatchObject({ endTime: live.closesAt, votersCount: 3, attributedTo: net.id, content: '<p>Approve the sync project?</p>' })

    await waitUntilPast(closesAt)
    // After closesAt: refused by the member's own hub, and by the umbrella when sent anyway.
    expect((await api(c, 'POST', '/api/v1/coops/gamma/votes', co.gamma.token, { decision: decisionId, choice: 'block' })).status).toBe(409)
    expect(await deliverToUmbrella(zeta, vote(zeta.id, '2', 'block'))).toBe(202)
    const late = await eventually(async () => rejectsAt(zetaServer, new URL(zeta.inbox).pathname).find(r => r.object === `${zeta.id}#votes/2/activity`), 'the Reject of the late vote')
    expect(late.summary).toMatch(/closed/)
    await runExpiry()

    const final = await decisionOn(a, decisionId)
    expect(final).toMatchObject({ status: 'passed', tally: { agree: 2, abstain: 0, disagree: 1, block: 0 }, voters: 3, members: 4, actionResult: 'applied' })
    for (const hub of [b, c]) {
      await eventually(async () => JSON.stringify(outcome(await decisionOn(hub, decisionId))) === JSON.stringify(outcome(final)) ? true : undefined, `the same outcome on ${hub.url}`)
      await eventually(async () => (await projectOn(hub))?.approved === true ? true : undefined, `the project approved on ${hub.url}`)
    }
    expect((await projectOn(a)).approved).toBe(true)
    expect((await getActivityJson(decisionId)).closed).toBe(final.closedAt)
  }, 60_000)

  it('lets a Mastodon follower see the poll and the project Page', async () => {
    const received = mastodon.peer.postsTo(mastodon.sharedInbox).map(r => JSON.parse(r.body))
    const question = received.find(x => x.type === 'Create' && x.object?.id === decisionId)?.object
    expect(question).toBeDefined()
    expect(question.type).toEqual(expect.arrayContaining(['Question']))
    expect(question.oneOf.map((o: any) => o.name)).toEqual(['agree', 'abstain', 'disagree', 'block'])
    expect(typeof question.endTime).toBe('string')
    expect(received.some(x => x.type === 'Update' && x.object?.id === decisionId && x.object.closed !== undefined)).toBe(true)
    const page = received.find(x => x.type === 'Create' && x.object?.id === projectId)?.object
    expect(page).toMatchObject({ name: 'Calendar sync', summary: 'Rewrite CalDAV sync', url: projectId })
    expect(page.type).toEqual(expect.arrayContaining(['Page']))
    const served = await getActivityJson(projectId)
    expect(served).toMatchObject({ id: projectId, committedHours: '15.50', approved: true })
    const collections = await getActivityJson(`${a.url}/u/net/decisions`)
    expect(collections.orderedItems.map((q: any) => q.id)).toContain(decisionId)
    expect((await getActivityJson(`${a.url}/u/net/projects`)).orderedItems.map((p: any) => p.id)).toEqual([projectId])
  })

  it('keeps decisions, projects, commitments and posts across a restart of every hub', async () => {
    const before = await Promise.all([a, b, c].map(async hub => ({ d: outcome(await decisionOn(hub, decisionId)), p: totals(await projectOn(hub)) })))
    ;[a, b, c] = await Promise.all([a.restart(), b.restart(), c.restart()])
    const after = await Promise.all([a, b, c].map(async hub => ({ d: outcome(await decisionOn(hub, decisionId)), p: totals(await projectOn(hub)) })))
    expect(after).toEqual(before)
    expect(after[1]).toEqual(after[0])
    expect(after[2]).toEqual(after[0])
    for (const hub of [b, c]) expect((await api(hub, 'GET', `/api/v1/umbrellas/${ref(hub)}/projects/sync/posts`)).json.items).toHaveLength(1)
    await sameMembersEverywhere([co.beta.id, co.delta.id, co.gamma.id, zeta.id], 'members after restart')
    expect((await api(b, 'GET', '/api/v1/coops/beta/votes', co.beta.token)).json.items.map((v: any) => v.choice).slice(0, 2)).toEqual(['disagree', 'agree'])
  })
})
