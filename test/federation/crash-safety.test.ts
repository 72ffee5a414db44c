import path from 'path'
import Database from 'better-sqlite3'
import { FakePeer } from '../helpers/fake-peer'
import { api, eventually, HubProcess, startHubProcess } from '../helpers/hub-process'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'

/**
 * A hub process is killed with SIGKILL (no shutdown code runs) in the middle of a burst of
 * inbound deliveries, and again in the middle of a fan-out of outbound ones. After each restart:
 * every inbound activity that was answered 2xx is stored and has had its effect (the service it
 * carried is listed), and every outbound delivery arrives (duplicates allowed, losses not).
 */
describe('crash safety (SIGKILL)', () => {
  let hub: HubProcess
  let peer: FakePeer
  const AS = 'https://www.w3.org/ns/activitystreams'

  beforeAll(async () => {
    hub = await startHubProcess()
    peer = await new FakePeer().start()
  })
  afterAll(async () => {
    await hub?.stop()
    await peer?.stop()
  })

  const sign = async (path: string, actor: PeerActor, doc: Record<string, unknown>, style: 'cavage' | 'rfc9421' = 'cavage'): Promise<number> => {
    const body = JSON.stringify(doc)
    try {
      return (await postRaw(`${hub.url}${path}`, body, signedHeaders(actor, `${hub.url}${path}`, body, { style }))).status
    } catch {
      return 0 // the connection died with the hub
    }
  }

  const storedActivityIds = (): Set<string> => {
    const db = new Database(path.join(hub.dataDir, 'hub.sqlite'), { readonly: true })
    try {
      return new Set(db.prepare<[], { id: string }>('SELECT id FROM streams').all().map(r => r.id))
    } finally {
      db.close()
    }
  }

  it('keeps every inbound activity answered 2xx when killed mid-burst, and finishes its handling after the restart', async () => {
    const sender = servePeerActor(peer, 'publisher')
    const coop = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'listener', name: 'Listener' })).json
    const follow = await api(hub, 'POST', '/api/v1/coops/listener/follows', coop.token, { target: sender.id })
    expect(await sign('/u/listener/inbox', sender, { '@context': AS, id: `${sender.id}/accepts/1`, type: 'Accept', actor: sender.id, object: follow.json.followId })).toBe(202)
    await eventually(async () => (await api(hub, 'GET', '/api/v1/coops/listener/follows', coop.token)).json.items[0]?.state === 'accepted' ? true : undefined, 'the follow to be accepted')

    const TOTAL = 150
    const create = (n: number): Record<string, unknown> => {
      const id = `${sender.id}/services/s${n}`
      return {
        '@context': [AS, 'https://w3id.org/ioocloud/ns'],
        id: `${sender.id}/activities/create-${n}`,
        type: 'Create',
        actor: sender.id,
        to: [`${AS}#Public`],
        cc: [`${sender.id}/followers`],
        object: { id, type: ['Page', 'ioo:HostedService'], attributedTo: sender.id, name: `Service ${n}`, summary: 'burst', url: `https://s${n}.example`, serviceType: 'file-hosting', access: 'public', to: [`${AS}#Public`] }
      }
    }
    const answered = new Map<number, number>()
    let next = 0
    let kill: Promise<void> | null = null
    const worker = async (): Promise<void> => {
      while (next < TOTAL) {
        const n = next++
        // Half to the shared inbox, half to the personal one.
        const path = n % 2 === 0 ? '/inbox' : '/u/listener/inbox'
        answered.set(n, await sign(path, sender, create(n)))
        // The 40th acceptance pulls the plug while the other senders are mid-request.
        if (kill === null && [...answered.values()].filter(s => s === 202).length >= 40) kill = hub.kill()
      }
    }
    await Promise.all(Array.from({ length: 6 }, worker))
    expect(kill).not.toBeNull()
    await kill
    const accepted = [...answered].filter(([, s]) => s === 202).map(([n]) => n)
    const lost = [...answered].filter(([, s]) => s !== 202).length
    expect(accepted.length).toBeGreaterThanOrEqual(40)
    expect(lost).toBeGreaterThan(0) // the kill did land in the middle of the burst

    hub = await hub.restart()
    const stored = storedActivityIds()
    expect(accepted.filter(n => !stored.has(create(n).id as string))).toEqual([])
    const listed = await eventually(async () => {
      const names = new Set(((await api(hub, 'GET', '/api/v1/services')).json.items as Array<{ name: string }>).map(s => s.name))
      return accepted.every(n => names.has(`Service ${n}`)) ? names : undefined
    }, 'every accepted service to be listed after the restart', 20_000)
    expect(accepted.filter(n => !listed.has(`Service ${n}`))).toEqual([])
  })

  it('delivers every queued activity when killed mid-fan-out', async () => {
    const slow = await new FakePeer().start()
    try {
      const coop = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username: 'speaker', name: 'Speaker' })).json
      const FOLLOWERS = 40
      // Ed25519 keys (RFC 9421 signatures) are quick to make, so forty followers cost little.
      const followers = Array.from({ length: FOLLOWERS }, (_, i) => servePeerActor(slow, `f${i}`, { key: 'ed25519-pem' }))
      for (const f of followers) {
        // The test's own HTTP client may hold a connection to the killed process: one retry.
        const follow = { '@context': AS, id: `${f.id}/follows/speaker`, type: 'Follow', actor: f.id, object: coop.id }
        const status = await sign('/u/speaker/inbox', f, follow, 'rfc9421') || await sign('/u/speaker/inbox', f, follow, 'rfc9421')
        expect(status).toBe(202)
      }
      await eventually(async () => new Set(slow.received.filter(r => JSON.parse(r.body).type === 'Accept').map(r => r.path)).size === FOLLOWERS ? true : undefined, 'every follower to get its Accept', 30_000)

      slow.postDelayMs = 150
      const put = await api(hub, 'PUT', '/api/v1/coops/speaker/services/files', coop.token, { name: 'Speaker Files', category: 'file-hosting', url: 'https://files.speaker.example', access: 'public' })
      expect(put.status).toBe(201)
      const serviceId: string = put.json.id
      const createsAt = (): Set<string> => new Set(slow.received.filter(r => JSON.parse(r.body).type === 'Create' && JSON.parse(r.body).object?.id === serviceId).map(r => r.path))
      await until(() => createsAt().size >= 8)
      await hub.kill()
      expect(createsAt().size).toBeLessThan(FOLLOWERS) // killed in the middle

      slow.postDelayMs = 0
      hub = await hub.restart()
      const reached = await eventually(async () => { const s = createsAt(); return s.size === FOLLOWERS ? s : undefined }, 'every follower to get the Create after the restart', 30_000)
      expect([...reached].sort()).toEqual(followers.map(f => new URL(f.inbox).pathname).sort())
    } finally {
      await slow.stop()
    }
  })
})

/** Polls `condition` every few milliseconds (tighter than `eventually`, to act mid-flight). */
async function until (condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 5))
  }
}
