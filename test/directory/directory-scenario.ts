/**
 * A directory worth looking at: hub B has the 313 IoO entries loaded, a co-op of its own, and
 * follows three co-ops of sibling hub A (two web hosters, one file host), whose services reach
 * B through its inbox. Both hubs run in this process on loopback.
 */
import path from 'node:path'
import { importIooDirectoryFile } from '../../src/directory/sources/import-file'
import type { ImportReport } from '../../src/store/ports/directory.port'
import { api, eventually } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import type { TestStoreKind } from '../helpers/test-store-choice'

export const IOO_FILE = path.join(__dirname, '..', 'fixtures', 'directories', 'ioo-directory', 'converted_data.json')

/** The two hubs and what was created on them. */
export interface DirectoryScenario {
  a: TestHub
  b: TestHub
  imported: ImportReport
  /** Actor ids of A's co-ops, by username. */
  siblings: Record<string, string>
  /** API tokens of A's co-ops, by username. */
  siblingTokens: Record<string, string>
  /** B's own co-op. */
  beta: { id: string, token: string }
  stop: () => Promise<void>
}

const SIBLINGS = [
  {
    coop: { username: 'webarch', name: 'Webarchitects Co-operative', summary: 'Ethical, green web hosting run by its members', url: 'https://webarchitects.coop', location: { name: 'Sheffield, UK', country: 'GB', latitude: 53.37, longitude: -1.47 }, languages: ['en'] },
    services: { web: { name: 'Webarchitects Hosting', category: 'web-hosting', software: 'Apache', url: 'https://hosting.webarchitects.coop', access: 'public', acceptingMembers: true, dataLocation: 'GB' } }
  },
  {
    coop: { username: 'leafhost', name: 'Leaf Co-op', summary: 'A small Berlin co-op for websites and mail', url: 'https://leaf.example', location: { name: 'Berlin', country: 'DE', latitude: 52.52, longitude: 13.4 }, languages: ['de', 'en'] },
    services: {
      sites: { name: 'Leaf Sites', category: 'web-hosting', software: 'WordPress', url: 'https://sites.leaf.example', access: 'members', acceptingMembers: true, dataLocation: 'DE' },
      mail: { name: 'Leaf Mail', category: 'email', software: 'Dovecot', url: 'https://mail.leaf.example', access: 'members', dataLocation: 'DE' }
    }
  },
  {
    coop: { username: 'gamma', name: 'Gamma Files', summary: 'Nextcloud for co-operatives in France', url: 'https://gamma.example', location: { name: 'Lyon', country: 'FR', latitude: 45.76, longitude: 4.84 }, languages: ['fr'] },
    services: { files: { name: 'Gamma Cloud', category: 'file-hosting', software: 'Nextcloud', url: 'https://cloud.gamma.example', access: 'agreement', acceptingMembers: false, dataLocation: 'FR' } }
  }
]

/** Starts both hubs on `store` and waits until B's directory lists every sibling service. */
export async function startDirectoryScenario (store: TestStoreKind = 'sqlite'): Promise<DirectoryScenario> {
  const [a, b] = await Promise.all([startTestHub({}, store), startTestHub({}, store)])
  const stop = async (): Promise<void> => { await Promise.all([a.stop(), b.stop()]) }
  try {
    const imported = await importIooDirectoryFile(b.hub.store.directory, IOO_FILE, { snapshot: '742632ab24bfd9136513768a6dc013277b594197' })
    const beta = await api(b, 'POST', '/api/v1/coops', b.adminToken, {
      username: 'beta', name: 'Beta Commons Cloud', summary: 'Files, calendars and a helpdesk for the co-ops of our town', url: 'https://beta-commons.example',
      location: { name: 'Ghent, Belgium', country: 'BE', latitude: 51.05, longitude: 3.72 }, languages: ['nl', 'en']
    })
    if (beta.status !== 201) throw new Error(`creating beta: ${JSON.stringify(beta.json)}`)
    await api(b, 'PUT', '/api/v1/coops/beta/services/desk', beta.json.token, { name: 'Beta Helpdesk', category: 'helpdesk', software: 'Zammad', url: 'https://desk.beta-commons.example', access: 'members', acceptingMembers: true, dataLocation: 'BE' })
    const siblings: Record<string, string> = {}
    const tokens: Record<string, string> = {}
    for (const s of SIBLINGS) {
      const created = await api(a, 'POST', '/api/v1/coops', a.adminToken, s.coop)
      if (created.status !== 201) throw new Error(`creating ${s.coop.username}: ${JSON.stringify(created.json)}`)
      siblings[s.coop.username] = created.json.id
      tokens[s.coop.username] = created.json.token
      const follow = await api(b, 'POST', '/api/v1/coops/beta/follows', beta.json.token, { target: `${s.coop.username}@${new URL(a.url).host}` })
      if (follow.status !== 202) throw new Error(`following ${s.coop.username}: ${JSON.stringify(follow.json)}`)
    }
    await eventually(async () => {
      const list = await api(b, 'GET', '/api/v1/coops/beta/follows', beta.json.token)
      return list.json.items.filter((f: any) => f.state === 'accepted').length === SIBLINGS.length ? true : undefined
    }, 'A to accept the three follows')
    let expected = 0
    for (const s of SIBLINGS) {
      for (const [key, body] of Object.entries(s.services)) {
        const put = await api(a, 'PUT', `/api/v1/coops/${s.coop.username}/services/${key}`, tokens[s.coop.username], body)
        if (put.status !== 201) throw new Error(`publishing ${key}: ${JSON.stringify(put.json)}`)
        expected++
      }
    }
    await eventually(async () => {
      const page = await api(b, 'GET', '/api/v1/directory?kind=coop-cloud&limit=100')
      const services = page.json.items.filter((e: any) => !e.local).reduce((n: number, e: any) => n + e.services.length, 0)
      return services === expected ? true : undefined
    }, 'B to list every sibling service in its directory', 20_000)
    return { a, b, imported, siblings, siblingTokens: tokens, beta: { id: beta.json.id, token: beta.json.token }, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
