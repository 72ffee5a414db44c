import path from 'path'
import { TokenService } from '../../src/auth/token.service'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { runCliCapturing as run, useCliDataDir } from '../helpers/cli-env'

const REFUSAL = /localhost is refused: the hub does not connect to loopback or private addresses; set HUB_ALLOW_PRIVATE_ADDRESSES=1 for a test network/

/** The CLI covers a newcomer's first hour: co-ops, services and follows, with --json listings. */
describe('CLI: the first hour', () => {
  const dataDir = useCliDataDir()

  it('creates a co-op printing only its token, lists it (text and JSON), and deletes it only with --yes, for good', async () => {
    const created = await run('coop', 'create', 'alpha', '--name', 'Alpha Co-op', '--token-only')
    expect(created.code).toBe(0)
    expect(created.output).toMatch(/^ioo_\S+$/)
    const token = created.output

    expect(await run('coop', 'list')).toEqual({ code: 0, output: 'alpha\tAlpha Co-op\thttps://hub.example.coop/u/alpha' })
    const listed = JSON.parse((await run('coop', 'list', '--json')).output)
    expect(listed.items).toEqual([expect.objectContaining({ username: 'alpha', name: 'Alpha Co-op', id: 'https://hub.example.coop/u/alpha' })])

    const unconfirmed = await run('coop', 'delete', 'alpha')
    expect(unconfirmed.code).toBe(1)
    expect(unconfirmed.output).toMatch(/Run again with --yes to delete it\.$/)
    expect((await run('coop', 'list')).output).toContain('alpha')

    expect(await run('coop', 'delete', 'alpha', '--yes')).toEqual({ code: 0, output: 'Deleted co-op alpha: https://hub.example.coop/u/alpha now answers 410; a Delete is queued for its followers.' })
    expect((await run('coop', 'list')).output).toMatch(/^No co-op is registered/)
    expect(JSON.parse((await run('coop', 'list', '--json')).output)).toEqual({ items: [] })
    expect(await run('coop', 'create', 'alpha', '--name', 'Another')).toEqual({ code: 1, output: 'Error: The username "alpha" belonged to a deleted co-op and is never reused on this hub; choose another' })

    const store = new SqliteStore(path.join(dataDir(), 'hub.sqlite'))
    try {
      expect(await new TokenService(store).find(token)).toBeNull()
      expect((await store.getObject('https://hub.example.coop/u/alpha'))?.type).toBe('Tombstone')
    } finally {
      store.close()
    }
  })

  it('puts, lists (text and JSON) and deletes a service', async () => {
    expect((await run('coop', 'create', 'alpha', '--name', 'Alpha')).code).toBe(0)
    const put = await run('service', 'put', 'alpha', 'files', '--name', 'Files', '--category', 'file-hosting', '--url', 'https://files.alpha.example', '--access', 'members', '--software', 'Nextcloud')
    expect(put).toEqual({ code: 0, output: expect.stringMatching(/^Listed service files of alpha: https:\/\/hub\.example\.coop\/\S+$/) })
    expect((await run('service', 'put', 'alpha', 'files', '--name', 'Files 2', '--category', 'file-hosting', '--url', 'https://files.alpha.example', '--access', 'members')).output).toMatch(/^Updated service files/)

    expect((await run('service', 'list', 'alpha')).output).toMatch(/^https:\/\/hub\.example\.coop\/\S+\tFiles 2\tfile-hosting\thttps:\/\/files\.alpha\.example\tlocal$/)
    const json = JSON.parse((await run('service', 'list', '--json')).output)
    expect(json.items).toEqual([expect.objectContaining({ name: 'Files 2', category: 'file-hosting', local: true })])

    const invalid = await run('service', 'put', 'alpha', 'chat', '--name', 'Chat', '--category', 'chat', '--url', 'https://chat.alpha.example', '--access', 'everyone')
    expect(invalid.code).toBe(1)
    expect(invalid.output).toMatch(/^Error: .*access/)

    expect(await run('service', 'delete', 'alpha', 'files')).toEqual({ code: 0, output: 'Deleted service files of alpha.' })
    expect((await run('service', 'list')).output).toBe('No service is listed.')
    expect(await run('service', 'delete', 'alpha', 'files')).toEqual({ code: 1, output: 'Error: Co-op "alpha" has no service "files"' })
  })

  it('refuses to follow a loopback target by name, naming HUB_ALLOW_PRIVATE_ADDRESSES, and unfollows only what it follows', async () => {
    expect((await run('coop', 'create', 'beta', '--name', 'Beta')).code).toBe(0)
    for (const target of ['alpha@localhost:9', 'http://localhost:9/u/alpha']) {
      const refused = await run('follow', 'beta', target)
      expect(refused.code).toBe(1)
      expect(refused.output).toMatch(REFUSAL)
      expect(refused.output).not.toMatch(/127\.0\.0\.1|::1/)
    }
    expect(JSON.parse((await run('follows', 'beta', '--json')).output)).toEqual({ items: [] })
    expect(await run('unfollow', 'beta', 'https://elsewhere.example/u/gamma')).toEqual({ code: 1, output: 'Error: Co-op "beta" does not follow https://elsewhere.example/u/gamma' })
  })

  it('refuses a loopback directory source when added, and a run whose source became refused says why', async () => {
    const added = await run('source', 'add', 'lan', 'hub-directory', 'http://localhost:9/directory.json')
    expect(added.code).toBe(1)
    expect(added.output).toMatch(REFUSAL)

    process.env.HUB_ALLOW_PRIVATE_ADDRESSES = '1'
    expect((await run('source', 'add', 'lan', 'hub-directory', 'http://localhost:9/directory.json')).code).toBe(0)
    delete process.env.HUB_ALLOW_PRIVATE_ADDRESSES
    const synced = await run('sync', 'directories', '--source', 'lan')
    expect(synced.code).toBe(1)
    expect(synced.output).toMatch(new RegExp(`lan: .*${REFUSAL.source}`))
    const sources = JSON.parse((await run('source', 'list', '--json')).output)
    expect(sources.items.find((s: { id: string }) => s.id === 'lan').lastError).toMatch(REFUSAL)
    const jobs = JSON.parse((await run('jobs', '--json')).output)
    expect(jobs.items.map((j: { name: string }) => j.name)).toContain('directories')
    expect(JSON.parse((await run('domain-block', 'list', '--json')).output)).toEqual({ items: [] })
  })
})
