import fs from 'fs'
import os from 'os'
import path from 'path'
import Database from 'better-sqlite3'
import { runCli } from '../../src/cli/main'
import { loadConfig } from '../../src/config/config'
import * as logging from '../../src/log/logger'
import { RunningHub, startHub } from '../../src/main'
import { api } from '../helpers/hub-process'
import { freePort } from '../helpers/ports'

/**
 * The data folder holds every private key: it is created 0700, and the database, its WAL and
 * SHM files, the admin token and every backup 0600, whatever the umask (the tests run with
 * umask 000, under which the defaults would be 0777 and 0644). Wider modes found at start are
 * reported with a warning that names the path, the mode and the fix.
 */
describe('data folder and file modes', () => {
  const roots: string[] = []
  const savedEnv = { ...process.env }
  let savedUmask: number
  let running: RunningHub | undefined

  beforeEach(() => { savedUmask = process.umask(0o000) })
  afterEach(async () => {
    await running?.stop()
    running = undefined
    process.umask(savedUmask)
    process.env = { ...savedEnv }
    jest.restoreAllMocks()
  })
  afterAll(() => { for (const r of roots) fs.rmSync(r, { recursive: true, force: true }) })

  const modeOf = (p: string): string => (fs.statSync(p).mode & 0o777).toString(8)

  /** Starts a hub on a free port; `hubUrl` keeps the address of an earlier start (the store records it). */
  async function start (dataDir: string, hubUrl?: string): Promise<{ url: string, warnings: string[] }> {
    const port = await freePort()
    const logger = logging.createLogger('silent')
    const warnings: string[] = []
    jest.spyOn(logger, 'warn').mockImplementation(((_obj: unknown, msg?: string) => { warnings.push(String(msg)) }) as never)
    jest.spyOn(logging, 'createLogger').mockReturnValue(logger)
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true) // the one-time admin token message
    const config = loadConfig({ PORT: String(port), HUB_URL: hubUrl ?? `http://127.0.0.1:${port}`, DATA_DIR: dataDir, LOG_LEVEL: 'silent', HUB_SCHEDULER: '0', HUB_ALLOW_PRIVATE_ADDRESSES: '1' })
    running = await startHub(config)
    return { url: `http://127.0.0.1:${port}`, warnings }
  }

  function newRoot (): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-modes-'))
    roots.push(root)
    return root
  }

  it('creates the folder 0700 and the database, WAL, SHM and admin token 0600, also when the WAL is recreated', async () => {
    const dataDir = path.join(newRoot(), 'data')
    const { url, warnings } = await start(dataDir)
    const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim()
    expect((await api({ url }, 'POST', '/api/v1/coops', token, { username: 'modes', name: 'Modes Co-op' })).status).toBe(201)

    const files = ['hub.sqlite', 'hub.sqlite-wal', 'hub.sqlite-shm', 'admin-token']
    expect({ dir: modeOf(dataDir), files: Object.fromEntries(files.map(f => [f, modeOf(path.join(dataDir, f))])) })
      .toEqual({ dir: '700', files: Object.fromEntries(files.map(f => [f, '600'])) })
    expect(fs.readdirSync(dataDir).filter(f => !files.includes(f))).toEqual([])
    expect(warnings).toEqual([])

    // Once the last connection closes SQLite removes the WAL and SHM; the next start creates them again.
    await running?.stop()
    running = undefined
    // (The store's worker threads close their connections just after the stop.)
    const deadline = Date.now() + 5_000
    while (fs.existsSync(path.join(dataDir, 'hub.sqlite-wal')) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 100))
      new Database(path.join(dataDir, 'hub.sqlite')).close()
    }
    expect(fs.existsSync(path.join(dataDir, 'hub.sqlite-wal'))).toBe(false)
    const again = await start(dataDir, url)
    expect((await api({ url: again.url }, 'POST', '/api/v1/coops', token, { username: 'modes2', name: 'Modes Two' })).status).toBe(201)
    expect(['hub.sqlite-wal', 'hub.sqlite-shm'].map(f => modeOf(path.join(dataDir, f)))).toEqual(['600', '600'])
  })

  it('writes backups 0600 (ioocloud-hub backup)', async () => {
    const root = newRoot()
    const dataDir = path.join(root, 'data')
    const { url } = await start(dataDir)
    process.env.DATA_DIR = dataDir
    process.env.HUB_URL = url
    delete process.env.PORT
    const target = path.join(root, 'snapshot.sqlite')
    const lines: string[] = []
    expect(await runCli(['backup', target], line => lines.push(line))).toBe(0)
    expect(modeOf(target)).toBe('600')
    // --force replaces it with a new file, 0600 too.
    fs.chmodSync(target, 0o644)
    expect(await runCli(['backup', target, '--force'], line => lines.push(line))).toBe(0)
    expect(modeOf(target)).toBe('600')
  })

  it('warns at start about a data folder and files other users can read, naming the path, the mode and the fix', async () => {
    const dataDir = path.join(newRoot(), 'data')
    fs.mkdirSync(dataDir, { mode: 0o755 })
    fs.chmodSync(dataDir, 0o755)
    fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'left here by the admin\n', { mode: 0o644 })
    const { warnings } = await start(dataDir)
    expect(warnings).toEqual(expect.arrayContaining([
      `${dataDir} has mode 755: other local users can read the hub's private keys; run chmod 700 ${dataDir}`,
      `${path.join(dataDir, 'notes.txt')} has mode 644: other local users can read the hub's private keys; run chmod 600 ${path.join(dataDir, 'notes.txt')}`
    ]))
    expect(warnings).toHaveLength(2)
    // Existing modes are reported, not changed; the files the hub creates there are 0600.
    expect(modeOf(dataDir)).toBe('755')
    expect(modeOf(path.join(dataDir, 'hub.sqlite'))).toBe('600')
  })
})
