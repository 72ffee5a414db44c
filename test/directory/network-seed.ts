/**
 * Pools and agreements on top of the directory scenario, made through the hub's own API: a
 * second local co-op (delta) pledges to beta's pool and shares services with it, and beta and
 * Webarchitects (on hub A) agree across hubs.
 */
import { api, eventually } from '../helpers/hub-process'
import type { DirectoryScenario } from './directory-scenario'

/** What was made, for the tests to look for. */
export interface NetworkSeed {
  delta: { id: string, token: string }
  poolId: string
  localAgreement: string
  federatedAgreement: string
}

async function ok (what: string, call: Promise<{ status: number, json: any }>): Promise<any> {
  const res = await call
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.json)}`)
  return res.json
}

/** Makes delta, a pool with a 450 of 1000 EUR pledge (200 received), and two active agreements. */
export async function seedPoolsAndAgreements (s: DirectoryScenario): Promise<NetworkSeed> {
  const b = s.b
  const delta = await ok('delta', api(b, 'POST', '/api/v1/coops', b.adminToken, {
    username: 'delta', name: 'Delta Data Co-op', summary: 'Mail and calendars for Utrecht', url: 'https://delta.example',
    location: { name: 'Utrecht', country: 'NL', latitude: 52.09, longitude: 5.12 }, languages: ['nl']
  }))
  const calendar = await ok('calendar', api(b, 'PUT', '/api/v1/coops/delta/services/cal', delta.token, {
    name: 'Delta Calendar', category: 'calendar', software: 'Nextcloud', url: 'https://cal.delta.example', access: 'agreement'
  }))
  const pool = await ok('pool', api(b, 'POST', '/api/v1/coops/beta/pools', s.beta.token, {
    name: 'Nextcloud accessibility fund', summary: 'Screen-reader fixes in the Files app, upstream',
    beneficiary: { name: 'Nextcloud', url: 'https://nextcloud.com' }, goal: { value: '1000.00', currency: 'EUR' }, period: 'once'
  }))
  await ok('small pool', api(b, 'POST', '/api/v1/coops/beta/pools', s.beta.token, {
    name: 'Zammad translation sprint', beneficiary: { name: 'Zammad', url: 'https://zammad.org' }, goal: { value: '5000.00', currency: 'EUR' }, period: 'once'
  }))
  const pledge = await ok('pledge', api(b, 'POST', '/api/v1/coops/delta/pledges', delta.token, { pool: pool.id, amount: { value: '450.00', currency: 'EUR' } }))
  await eventually(async () => {
    const mine = await api(b, 'GET', '/api/v1/coops/delta/pledges')
    return mine.json.items?.some((p: any) => p.offer === pledge.offer && p.status === 'pledged') ? true : undefined
  }, 'the steward to accept the pledge')
  const second = await ok('second pledge', api(b, 'POST', '/api/v1/coops/delta/pledges', delta.token, { pool: pool.id, amount: { value: '200.00', currency: 'EUR' } }))
  const secondId = await eventually(async () => {
    const mine = await api(b, 'GET', '/api/v1/coops/delta/pledges')
    return mine.json.items?.find((p: any) => p.offer === second.offer && p.status === 'pledged')?.id as string | undefined
  }, 'the steward to accept the second pledge')
  await ok('fulfil', api(b, 'POST', `/api/v1/pledges/${encodeURIComponent(secondId)}/fulfil`, s.beta.token, {}))
  const local = await ok('local agreement', api(b, 'POST', '/api/v1/coops/beta/agreements', s.beta.token, {
    parties: [delta.id], name: 'Beta and Delta exchange', terms: 'Members of each co-op may use the other\'s services.',
    services: [{ service: `${b.url}/u/beta/services/desk` }, { party: delta.id, service: calendar.id }], startTime: new Date().toISOString()
  }))
  await ok('delta accepts', api(b, 'POST', `/api/v1/agreements/${encodeURIComponent(local.id)}/accept`, delta.token, { coop: 'delta' }))
  const federated = await ok('federated agreement', api(b, 'POST', '/api/v1/coops/beta/agreements', s.beta.token, {
    parties: [s.siblings.webarch], name: 'Beta and Webarchitects exchange', terms: 'Web hosting for Beta\'s members; helpdesk for Webarchitects\' members.',
    services: [{ service: `${b.url}/u/beta/services/desk` }, { party: s.siblings.webarch, service: `${s.a.url}/u/webarch/services/web` }], startTime: new Date().toISOString()
  }))
  await eventually(async () => (await api(s.a, 'GET', '/api/v1/agreements')).json.items?.length ? true : undefined, 'A to receive the offer')
  await ok('webarch accepts', api(s.a, 'POST', `/api/v1/agreements/${encodeURIComponent(federated.id)}/accept`, s.siblingTokens.webarch, { coop: 'webarch' }))
  await eventually(async () => {
    const list = await api(b, 'GET', '/api/v1/agreements')
    return list.json.items?.find((x: any) => x.id === federated.id)?.status === 'active' ? true : undefined
  }, 'B to see the federated agreement in force')
  return { delta: { id: delta.id, token: delta.token }, poolId: pool.id, localAgreement: local.id, federatedAgreement: federated.id }
}
