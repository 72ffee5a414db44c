import { spawn } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'

const ROOT = path.join(__dirname, '..', '..')

/**
 * Receives activities through the built store in a process of its own, whose SQLite temporary
 * files go to `tmpDir` (SQLite reads SQLITE_TMPDIR once, when a process first opens a database).
 */
const RECEIVER = `
const { SqliteStore } = require(process.argv[1])
const store = new SqliteStore(process.argv[2])
const inbox = 'http://127.0.0.1:8080/u/coop/inbox'
const receipt = (i, settled) => {
  const actor = 'https://peer' + (i % 5) + '.example/actor'
  const object = { id: 'https://peer.example/notes/' + i, type: ['Note'], attributedTo: [actor], content: ['Note ' + i] }
  const activity = { id: 'https://peer.example/activities/' + i, type: ['Create'], actor: [actor], object: [object], _meta: { collection: [inbox] } }
  return { key: { sender: actor, activityId: activity.id, recipientId: 'http://127.0.0.1:8080/u/coop' }, inbox, object, activity, settled }
}
;(async () => {
  for (let i = 0; i < 20; i++) {
    const [result] = await store.inboxJournal.receive([receipt(i, i % 2 === 0)], 'process-1')
    if (result.claim !== 'claimed') throw new Error('receipt ' + i + ' was not claimed: ' + result.claim)
  }
  store.close()
})().catch(err => { console.error(err); process.exit(1) })
`

/**
 * Every received activity adds a row to its recipient's inbox, a write that fires triggers inside
 * the receipt's transaction and so keeps a statement journal. On SQLite's default that journal
 * is a temporary file created and deleted in every transaction; the store keeps it in memory.
 */
describe('SQLite store: temporary files', () => {
  let tmpDir: string
  let dataDir: string
  beforeEach(() => {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-sqlite-tmp-'))
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-sqlite-data-'))
  })
  afterEach(() => {
    fs.rmSync(tmpDir, { recursive: true, force: true })
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('receives activities without creating a temporary file', async () => {
    const created: string[] = []
    const watcher = fs.watch(tmpDir, (_event, name) => { created.push(String(name)) })
    try {
      const child = spawn(process.execPath, ['-e', RECEIVER, path.join(ROOT, 'dist', 'store', 'sqlite', 'sqlite.store.js'), path.join(dataDir, 'hub.sqlite')], {
        env: { PATH: process.env.PATH, SQLITE_TMPDIR: tmpDir, TMPDIR: tmpDir },
        stdio: ['ignore', 'ignore', 'pipe']
      })
      let stderr = ''
      child.stderr?.on('data', d => { stderr += String(d) })
      const code = await new Promise<number | null>(resolve => child.once('exit', c => resolve(c)))
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
      // Let the watcher deliver what the file system reported.
      await new Promise(resolve => setTimeout(resolve, 200))
    } finally {
      watcher.close()
    }
    expect(created).toEqual([])
  })
})
