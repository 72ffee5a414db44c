import fs from 'fs'
import os from 'os'
import path from 'path'
import Database from 'better-sqlite3'
import { runCli } from '../../src/cli/main'
import { snapshotDatabase } from '../helpers/db-snapshot'
import { api, getActivityJson, HubProcess, startHubProcess } from '../helpers/hub-process'

/**
 * `ioocloud-hub backup`, `restore` and `migrate` on a real hub's data: a snapshot taken while
 * the hub runs restores into a fresh DATA_DIR, and the hub started on it serves the same actors
 * (same keys), services, pools, agreements and directory; `migrate` to another SQLite file
 * copies every row; a snapshot taken during a stream of writes is one moment of the database.
 */
describe('backup, restore and migrate', () => {
  const dirs: string[] = []
  const tempDir = (): string => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-backup-')); dirs.push(d); return d }
  const saved = { ...process.env }
  let hub: HubProcess | undefined

  afterEach(async () => {
    await hub?.stop()
    hub = undefined
    process.env = { ...saved }
  })
  afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }) })

  /** Runs the CLI in this process against `dataDir`, as an admin would with the hub's environment. */
  async function cli (dataDir: string, hubUrl: string, ...args: string[]): Promise<{ code: number, output: string }> {
    process.env.DATA_DIR = dataDir
    process.env.HUB_URL = hubUrl
    delete process.env.PORT
    const lines: string[] = []
    const code = await runCli(args, line => lines.push(line))
    return { code, output: lines.join('\n') }
  }

  /** Everything a visitor and a sibling see of the hub's data. */
  async function publicView (h: HubProcess): Promise<Record<string, unknown>> {
    const json = async (p: string): Promise<unknown> => (await api(h, 'GET', p)).json
    return {
      instance: await getActivityJson(`${h.url}/actor`),
      alpha: await getActivityJson(`${h.url}/u/alpha`),
      beta: await getActivityJson(`${h.url}/u/beta`),
      services: await json('/api/v1/services'),
      pools: await json('/api/v1/pools'),
      agreements: await json('/api/v1/agreements'),
      directory: await json('/api/v1/directory'),
      directorySearch: await json('/api/v1/directory?q=alpha')
    }
  }

  it('restores a snapshot taken while the hub runs into a fresh DATA_DIR; the restored hub serves the same data and keys', async () => {
    hub = await startHubProcess()
    const { url, port, adminToken } = hub
    const alpha = (await api(hub, 'POST', '/api/v1/coops', adminToken, { username: 'alpha', name: 'Alpha Co-op', summary: 'Files for the valley' })).json
    const beta = (await api(hub, 'POST', '/api/v1/coops', adminToken, { username: 'beta', name: 'Beta Co-op' })).json
    const files = await api(hub, 'PUT', '/api/v1/coops/alpha/services/files', alpha.token, { name: 'Alpha Files', category: 'file-hosting', url: 'https://files.alpha.example', access: 'agreement', software: 'Nextcloud' })
    expect(files.status).toBe(201)
    expect((await api(hub, 'PUT', '/api/v1/coops/beta/services/mail', beta.token, { name: 'Beta Mail', category: 'email', url: 'https://mail.beta.example', access: 'agreement' })).status).toBe(201)
    expect((await api(hub, 'POST', '/api/v1/coops/alpha/pools', alpha.token, {
      name: 'Calendar sync', summary: 'Fund the CalDAV rewrite', beneficiary: { name: 'Nextcloud', url: 'https://nextcloud.com' },
      goal: { value: '1000.00', currency: 'EUR' }, period: 'once', paymentLinks: [{ name: 'Open Collective', href: 'https://opencollective.com/example' }]
    })).status).toBe(201)
    expect((await api(hub, 'POST', '/api/v1/coops/alpha/agreements', alpha.token, {
      parties: [beta.id], name: 'Alpha and Beta exchange', terms: 'Members of each may use the listed services of the other.',
      services: [{ service: files.json.id, quota: 50 }], startTime: new Date().toISOString(), endTime: new Date(Date.now() + 365 * 86_400_000).toISOString()
    })).status).toBe(201)
    const before = await publicView(hub)
    expect((before.pools as any).items).toHaveLength(1)
    expect((before.agreements as any).items).toHaveLength(1)
    expect((before.directory as any).items.length).toBeGreaterThanOrEqual(2)

    const backupFile = path.join(tempDir(), 'hub-backup.sqlite')
    const backup = await cli(hub.dataDir, url, 'backup', backupFile)
    expect(backup).toEqual({ code: 0, output: expect.stringMatching(/^Backed up \d+ rows in \d+ tables \(schema version \d+\) to /) })
    // The hub goes on writing after the snapshot: the restored copy does not have this.
    expect((await api(hub, 'POST', '/api/v1/coops', adminToken, { username: 'latecomer', name: 'Late' })).status).toBe(201)
    await hub.stop()

    const fresh = path.join(tempDir(), 'restored')
    const restore = await cli(fresh, url, 'restore', backupFile)
    expect(restore.code).toBe(0)
    expect(restore.output).toMatch(/^Restored \d+ rows in \d+ tables from .* into /)
    expect(restore.output).not.toMatch(/Warning/)

    hub = await startHubProcess({ dataDir: fresh, port, adminToken })
    expect(await publicView(hub)).toEqual(before)
    expect((await api(hub, 'GET', '/api/v1/coops/latecomer')).status).toBe(404)
    // The co-ops' tokens came along: alpha can still publish, signed with the same key.
    expect((await api(hub, 'PUT', '/api/v1/coops/alpha/services/chat', alpha.token, { name: 'Alpha Chat', category: 'chat', url: 'https://chat.alpha.example', access: 'public' })).status).toBe(201)
  })

  it('refuses a DATA_DIR that is not empty, a file that is not a hub database, and one from a newer hub', async () => {
    const source = tempDir()
    expect((await cli(source, 'http://127.0.0.1:9', 'coop', 'create', 'gamma', '--name', 'Gamma')).code).toBe(0)
    const backupFile = path.join(tempDir(), 'gamma.sqlite')
    expect((await cli(source, 'http://127.0.0.1:9', 'backup', backupFile)).code).toBe(0)
    expect(await cli(source, 'http://127.0.0.1:9', 'backup', backupFile)).toEqual({ code: 1, output: expect.stringMatching(/already exists; choose a new file, or add --force/) })

    const busy = tempDir()
    fs.writeFileSync(path.join(busy, 'notes.txt'), 'keep me')
    expect(await cli(busy, 'http://127.0.0.1:9', 'restore', backupFile)).toEqual({ code: 1, output: expect.stringMatching(/DATA_DIR \(.*\) is not empty; restore into a fresh folder, or add --force/) })
    expect(fs.readdirSync(busy)).toEqual(['notes.txt'])
    // With --force it restores next to what is there.
    expect((await cli(busy, 'http://127.0.0.1:9', 'restore', backupFile, '--force')).code).toBe(0)
    expect(fs.readFileSync(path.join(busy, 'notes.txt'), 'utf8')).toBe('keep me')

    const text = path.join(tempDir(), 'not-a-db.sqlite')
    fs.writeFileSync(text, 'this is not a database at all, just some text long enough to have a header')
    const notDb = await cli(tempDir() + '/a', 'http://127.0.0.1:9', 'restore', text)
    expect(notDb.code).toBe(1)
    expect(notDb.output).toMatch(/is not a SQLite database|cannot be opened/)

    const other = path.join(tempDir(), 'other.sqlite')
    new Database(other).exec('CREATE TABLE things (id INTEGER PRIMARY KEY)').close()
    expect(await cli(tempDir() + '/b', 'http://127.0.0.1:9', 'restore', other)).toEqual({ code: 1, output: expect.stringMatching(/is not a hub database \(it has no schema_migrations table\)/) })

    const newer = path.join(tempDir(), 'newer.sqlite')
    fs.copyFileSync(backupFile, newer)
    const db = new Database(newer)
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', '2099-01-01')").run()
    db.close()
    const target = tempDir() + '/c'
    expect(await cli(target, 'http://127.0.0.1:9', 'restore', newer)).toEqual({ code: 1, output: expect.stringMatching(/written by a newer hub: it has migration versions 999/) })
    expect(fs.existsSync(target)).toBe(false)
  })

  it('migrates to another SQLite file with every row and identical counts; refuses MongoDB and unknown URLs', async () => {
    hub = await startHubProcess()
    for (const username of ['delta', 'epsilon']) {
      const made = (await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username, name: username })).json
      expect((await api(hub, 'PUT', `/api/v1/coops/${username}/services/files`, made.token, { name: `${username} files`, category: 'file-hosting', url: `https://files.${username}.example`, access: 'public' })).status).toBe(201)
    }
    const { dataDir, url } = hub
    await hub.stop()
    hub = undefined

    const targetDir = tempDir()
    const migrated = await cli(dataDir, url, 'migrate', '--to', `sqlite:${path.join(targetDir, 'hub.sqlite')}`)
    expect(migrated.code).toBe(0)
    expect(migrated.output).toMatch(/every count matches\.$/)
    expect(migrated.output).not.toMatch(/MISMATCH/)
    for (const table of ['objects', 'streams', 'coops', 'tokens', 'services', 'deliveries', 'directory_entries', 'directory_fts', 'job_runs', 'sync_sources']) {
      expect(migrated.output).toMatch(new RegExp(`^${table} +\\d+ → +\\d+ +ok$`, 'm'))
    }
    // The co-ops' keys, counted on both sides beside the tables.
    expect(migrated.output).toMatch(/^local actors with a private key +([2-9]|\d{2,}) → +\1 +ok$/m)
    // Row for row the same data (full-text index internals, the process registry and when each
    // migration was applied aside), at the same migration versions.
    const ignore = ['hub_processes', 'schema_migrations', 'directory_fts_data', 'directory_fts_idx', 'directory_fts_docsize', 'directory_fts_config', 'directory_fts_content']
    expect(snapshotDatabase(targetDir, ignore)).toEqual(snapshotDatabase(dataDir, ignore))
    const versions = (dir: string): number[] => {
      const db = new Database(path.join(dir, 'hub.sqlite'), { readonly: true })
      try { return db.prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version').all().map(r => r.version) } finally { db.close() }
    }
    expect(versions(targetDir)).toEqual(versions(dataDir))

    expect(await cli(dataDir, url, 'migrate', '--to', `sqlite:${path.join(targetDir, 'hub.sqlite')}`)).toEqual({ code: 1, output: expect.stringMatching(/already exists; choose a new file, or add --force/) })
    expect(await cli(dataDir, url, 'migrate', '--to', 'mongodb://127.0.0.1:27017/hub')).toEqual({ code: 1, output: expect.stringMatching(/The MongoDB adapter is not available in this build/) })
    expect(await cli(dataDir, url, 'migrate', '--to', 'mysql://x/hub')).toEqual({ code: 1, output: expect.stringMatching(/is not a store URL this hub knows; use sqlite:<path>/) })
    expect(await cli(dataDir, url, 'migrate', '--to', 'postgres://x')).toEqual({ code: 1, output: expect.stringMatching(/^Error: --to must name the database the hub owns/) })
  })

  it('takes a snapshot that is one moment of the database while the hub and another writer write', async () => {
    hub = await startHubProcess()
    const h = hub
    // The hub writes (co-ops: actors, keys, tokens, directory) ...
    let writing = true
    const hubWrites = (async () => {
      for (let n = 0; writing; n++) await api(h, 'POST', '/api/v1/coops', h.adminToken, { username: `busy${n}`, name: `Busy ${n}` })
    })()
    // ... and so does another connection, in transactions that keep a count beside the rows it counts.
    const writer = new Database(path.join(h.dataDir, 'hub.sqlite'))
    writer.pragma('busy_timeout = 5000')
    const add = writer.transaction((n: number) => {
      writer.prepare('INSERT INTO domain_blocks (domain, reason, created_at) VALUES (?, ?, ?)').run(`spam${n}.example`, 'x'.repeat(2000), new Date().toISOString())
      writer.prepare("INSERT INTO settings (key, value) VALUES ('test.blocks', (SELECT COUNT(*) FROM domain_blocks)) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run()
    })
    let n = 0
    const timer = setInterval(() => { for (let i = 0; i < 5; i++) add(n++) }, 2)
    try {
      const out = tempDir()
      for (let i = 0; i < 3; i++) {
        await new Promise(resolve => setTimeout(resolve, 150))
        const file = path.join(out, `during-${i}.sqlite`)
        expect((await cli(h.dataDir, h.url, 'backup', file)).code).toBe(0)
        const copy = new Database(file, { readonly: true })
        try {
          expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
          const blocks = (copy.prepare('SELECT COUNT(*) AS n FROM domain_blocks').get() as { n: number }).n
          const recorded = (copy.prepare("SELECT value FROM settings WHERE key = 'test.blocks'").get() as { value: string } | undefined)?.value
          expect(blocks).toBeGreaterThan(0)
          expect(String(blocks)).toBe(recorded)
          // Every co-op in the copy has its actor (with its private key) and its token.
          const orphans = copy.prepare(`SELECT c.username FROM coops c LEFT JOIN objects o ON o.id = c.actor_id
            WHERE o.id IS NULL OR o.meta NOT LIKE '%privateKey%' OR NOT EXISTS (SELECT 1 FROM tokens t WHERE t.scope = c.actor_id)`).all()
          expect(orphans).toEqual([])
        } finally {
          copy.close()
        }
      }
    } finally {
      clearInterval(timer)
      writing = false
      await hubWrites
      writer.close()
    }
    expect(n).toBeGreaterThan(100)
  }, 60_000)
})
