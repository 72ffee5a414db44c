import { DEMO_AGREEMENT, DEMO_HUBS, DEMO_POOL } from './demo-network'
import type { DemoHubProcess } from './demo-hubs'

/** A co-op the demo registered: where it lives and its API token. */
export interface MadeCoop { hub: DemoHubProcess, id: string, token: string, handle: string }

/** What the demo made, for the summary it prints. */
export interface DemoNetwork {
  coops: Record<string, MadeCoop>
  poolId: string
  agreementId: string
  imported: number
}

/** An API answer: the demo reads a few known fields of it. */
type Json = Record<string, unknown> & { id?: string, token?: string, status?: string, name?: string, offer?: string, items?: Array<Record<string, unknown>>, counts?: Record<string, number> }

/** Calls a hub's JSON API; anything but a 2xx is an error naming the call. */
async function call (hub: DemoHubProcess, method: string, apiPath: string, token: string | null, body?: unknown): Promise<Json> {
  const res = await fetch(`${hub.url}/api/v1${apiPath}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${hub.name}: ${method} ${apiPath} answered ${res.status} ${text}`)
  return text ? JSON.parse(text) as Json : {}
}

/** Polls until `check` answers something (federation is asynchronous), or fails saying what it waited for. */
async function until<T> (what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 150))
  }
}

/**
 * Builds the demo network on three running hubs: co-ops, cross-hub follows, services, the IoO
 * directory import on the umbrella hub, a pool with pledges from the two other hubs, and an
 * agreement between three co-ops. `log` is told each step.
 */
export async function buildDemoNetwork (hubs: DemoHubProcess[], iooUrl: string, log: (line: string) => void): Promise<DemoNetwork> {
  const coops: Record<string, MadeCoop> = {}
  log('registering co-ops')
  for (const [i, plan] of DEMO_HUBS.entries()) {
    for (const coop of plan.coops) {
      const made = await call(hubs[i], 'POST', '/coops', hubs[i].adminToken, { username: coop.username, ...coop.profile })
      coops[coop.username] = { hub: hubs[i], id: String(made.id), token: String(made.token), handle: `${coop.username}@127.0.0.1:${hubs[i].port}` }
    }
  }

  log('following each other across hubs')
  const follows: Array<[string, string]> = []
  for (const [name, coop] of Object.entries(coops)) {
    for (const [other, target] of Object.entries(coops)) {
      if (target.hub === coop.hub) continue
      await call(coop.hub, 'POST', `/coops/${name}/follows`, coop.token, { target: target.handle })
      follows.push([name, other])
    }
  }
  for (const name of Object.keys(coops)) {
    const expected = follows.filter(([from]) => from === name).length
    await until(`${name}'s follows to be accepted`, async () => {
      const list = await call(coops[name].hub, 'GET', `/coops/${name}/follows`, coops[name].token)
      return (list.items ?? []).filter(f => f.state === 'accepted').length === expected ? true : undefined
    })
  }

  log('publishing services')
  const services: Record<string, string> = {}
  for (const plan of DEMO_HUBS) {
    for (const coop of plan.coops) {
      for (const [key, body] of Object.entries(coop.services)) {
        const made = await call(coops[coop.username].hub, 'PUT', `/coops/${coop.username}/services/${key}`, coops[coop.username].token, body)
        services[`${coop.username}/${key}`] = String(made.id)
      }
    }
  }

  log('importing the Internet of Ownership directory into the umbrella hub')
  const umbrella = hubs[0]
  // The hub comes with the IoO sheet as source `ioo`; the demo reads the same directory from the
  // fixture (a snapshot of it) instead, under the same provenance name.
  await call(umbrella, 'DELETE', '/sources/ioo', umbrella.adminToken)
  await call(umbrella, 'POST', '/sources', umbrella.adminToken, { id: 'ioo-fixture', format: 'ioo-json', url: iooUrl })
  const run = await call(umbrella, 'POST', '/jobs/directories/runs?source=ioo-fixture', umbrella.adminToken)
  const imported = Number(run.counts?.added ?? 0)

  log('opening a funding pool and pledging from the two other hubs')
  const steward = coops[DEMO_POOL.steward]
  const pool = await call(steward.hub, 'POST', `/coops/${DEMO_POOL.steward}/pools`, steward.token, DEMO_POOL.body)
  for (const pledge of DEMO_POOL.pledges) {
    const pledger = coops[pledge.coop]
    await until(`${pledge.coop}'s hub to list the pool`, async () => (await call(pledger.hub, 'GET', `/pools/${encodeURIComponent(String(pool.id))}`, null)).name ? true : undefined)
    const offer = await call(pledger.hub, 'POST', `/coops/${pledge.coop}/pledges`, pledger.token, { pool: pool.id, amount: pledge.amount, recurrence: 'once' })
    const accepted = await until(`the steward to accept ${pledge.coop}'s pledge`, async () => {
      const seen = await call(steward.hub, 'GET', `/pledges/${encodeURIComponent(String(offer.offer))}`, null)
      return seen.status === 'pledged' ? seen : undefined
    })
    if (pledge.fulfil) await call(steward.hub, 'POST', `/pledges/${encodeURIComponent(String(accepted.id))}/fulfil`, steward.token, {})
  }

  log('agreeing between three co-ops on three hubs')
  const proposer = coops[DEMO_AGREEMENT.proposer]
  const agreement = await call(proposer.hub, 'POST', `/coops/${DEMO_AGREEMENT.proposer}/agreements`, proposer.token, {
    parties: DEMO_AGREEMENT.parties.map(p => coops[p].id),
    name: DEMO_AGREEMENT.name,
    terms: DEMO_AGREEMENT.terms,
    services: DEMO_AGREEMENT.services.map(([coop, key, quota]) => coop === DEMO_AGREEMENT.proposer
      ? { service: services[`${coop}/${key}`], quota }
      : { party: coops[coop].id, service: services[`${coop}/${key}`], quota }),
    startTime: new Date().toISOString()
  })
  for (const party of DEMO_AGREEMENT.parties) {
    const coop = coops[party]
    await until(`${party}'s hub to hold the proposal`, async () => (await call(coop.hub, 'GET', `/agreements/${encodeURIComponent(String(agreement.id))}`, null)).status === 'proposed' ? true : undefined)
    await call(coop.hub, 'POST', `/agreements/${encodeURIComponent(String(agreement.id))}/accept`, coop.token, { coop: party })
  }
  await until('the agreement to be in force on the umbrella hub', async () =>
    (await call(proposer.hub, 'GET', `/agreements/${encodeURIComponent(String(agreement.id))}`, null)).status === 'active' ? true : undefined)
  return { coops, poolId: String(pool.id), agreementId: String(agreement.id), imported }
}
