import path from 'path'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { TokenService } from '../../src/auth/token.service'
import { runCliCapturing as run, useCliDataDir } from '../helpers/cli-env'

/** `ioocloud-hub coop create` does what the API does and prints the token. */
describe('CLI', () => {
  const dataDir = useCliDataDir()

  it('creates a co-op, prints a working token, and the actor is stored', async () => {
    const { code, output } = await run('coop', 'create', 'riverside', '--name', 'Riverside Co-op', '--summary', 'Cloud for the valley', '--follow-policy', 'approval')
    expect(code).toBe(0)
    expect(output).toContain('Created co-op riverside: https://hub.example.coop/u/riverside')
    const token = /(ioo_\S+)/.exec(output)?.[1] ?? ''
    const store = new SqliteStore(path.join(dataDir(), 'hub.sqlite'))
    try {
      expect((await new TokenService(store).find(token))?.scope).toBe('https://hub.example.coop/u/riverside')
      expect(await store.getCoop('riverside')).toMatchObject({ actorId: 'https://hub.example.coop/u/riverside', followPolicy: 'approval' })
      const actor = await store.getObject('https://hub.example.coop/u/riverside')
      expect(actor?.type).toBe('Organization')
    } finally {
      store.close()
    }
  })

  it('says why it failed and exits non-zero: taken username, bad username, missing name', async () => {
    expect((await run('coop', 'create', 'riverside', '--name', 'R')).code).toBe(0)
    const taken = await run('coop', 'create', 'riverside', '--name', 'R')
    expect(taken).toEqual({ code: 1, output: 'Error: The username "riverside" is already taken on this hub' })
    const bad = await run('coop', 'create', 'Bad Name', '--name', 'R')
    expect(bad.code).toBe(1)
    expect(bad.output).toMatch(/username must be 1 to 30 characters/)
    const missing = await run('coop', 'create', 'other')
    expect(missing.code).not.toBe(0)
    expect(missing.output).toMatch(/required option '--name <name>'/)
  })

  it('reports a bad configuration value by name', async () => {
    process.env.HUB_URL = 'not a url'
    const res = await run('coop', 'create', 'x', '--name', 'X')
    expect(res.code).toBe(2)
    expect(res.output).toMatch(/Configuration error: HUB_URL must be an absolute URL/)
  })
})
