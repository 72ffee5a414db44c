import fs from 'fs'
import os from 'os'
import path from 'path'
import { ADMIN_TOKEN_FILE, ensureAdminToken } from '../../src/auth/admin-token'
import { ADMIN_SCOPE, TokenService } from '../../src/auth/token.service'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'

describe('the admin token', () => {
  let dir: string
  let store: SqliteStore
  let tokens: TokenService

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-admin-'))
    store = new SqliteStore(path.join(dir, 'hub.sqlite'))
    tokens = new TokenService(store)
  })
  afterEach(() => {
    store.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('is generated on first start, stored readable by the owner only, and works', async () => {
    const first = await ensureAdminToken(tokens, dir, null)
    expect(first.source).toBe('generated')
    if (first.source !== 'generated') throw new Error('unreachable')
    const file = path.join(dir, ADMIN_TOKEN_FILE)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(first.token)
    expect((await tokens.find(first.token))?.scope).toBe(ADMIN_SCOPE)
  })

  it('is not generated (nor shown) again on the next start', async () => {
    const first = await ensureAdminToken(tokens, dir, null)
    const second = await ensureAdminToken(tokens, dir, null)
    expect(second).toEqual({ source: 'file', file: path.join(dir, ADMIN_TOKEN_FILE) })
    expect('token' in second).toBe(false)
    if (first.source === 'generated') expect((await tokens.find(first.token))?.scope).toBe(ADMIN_SCOPE)
  })

  it('comes from HUB_ADMIN_TOKEN when set, and no file is written', async () => {
    const outcome = await ensureAdminToken(tokens, dir, 'an-admin-token-from-the-environment')
    expect(outcome).toEqual({ source: 'environment' })
    expect(fs.existsSync(path.join(dir, ADMIN_TOKEN_FILE))).toBe(false)
    expect((await tokens.find('an-admin-token-from-the-environment'))?.scope).toBe(ADMIN_SCOPE)
  })

  it('is stored hashed: the database never holds the token itself', async () => {
    const outcome = await ensureAdminToken(tokens, dir, 'an-admin-token-from-the-environment')
    expect(outcome.source).toBe('environment')
    store.close()
    const bytes = fs.readFileSync(path.join(dir, 'hub.sqlite'))
    const wal = fs.existsSync(path.join(dir, 'hub.sqlite-wal')) ? fs.readFileSync(path.join(dir, 'hub.sqlite-wal')) : Buffer.alloc(0)
    expect(bytes.includes('an-admin-token-from-the-environment')).toBe(false)
    expect(wal.includes('an-admin-token-from-the-environment')).toBe(false)
    store = new SqliteStore(path.join(dir, 'hub.sqlite'))
  })
})
