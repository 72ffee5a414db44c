import { spawn } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'
import { freePort } from '../helpers/ports'

const ROOT = path.join(__dirname, '..', '..')

/** Runs the built hub with `env` until it exits on its own; its status and what it wrote to stderr. */
async function runHub (env: Record<string, string>): Promise<{ code: number | null, stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH, HUB_SCHEDULER: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr?.on('data', d => { stderr += String(d) })
  const code = await new Promise<number | null>(resolve => child.once('exit', c => resolve(c)))
  return { code, stderr }
}

/**
 * A start refused after the store was opened (here: DATA_DIR recorded for another address) says
 * why and exits 2, as a refused configuration does, rather than ending silently.
 */
describe('a start on a data directory recorded for another address', () => {
  let dataDir: string
  beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-moved-')) })
  afterEach(() => { fs.rmSync(dataDir, { recursive: true, force: true }) })

  it('exits 2 naming both addresses and the fix', async () => {
    const first = await freePort()
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
      env: { PATH: process.env.PATH, PORT: String(first), DATA_DIR: dataDir, HUB_SCHEDULER: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    // Serving once records the address.
    for (let i = 0; i < 200; i++) {
      const ok = await fetch(`http://127.0.0.1:${first}/nodeinfo/2.1`).then(r => r.ok, () => false)
      if (ok) break
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    const stopped = new Promise(resolve => child.once('exit', resolve))
    child.kill('SIGTERM')
    await stopped

    const moved = await freePort()
    const { code, stderr } = await runHub({ PORT: String(moved), DATA_DIR: dataDir })
    expect(code).toBe(2)
    expect(stderr).toContain(`Cannot start: HUB_URL is http://localhost:${moved} (set, or derived from PORT), but this hub's database (DATA_DIR) was set up for http://localhost:${first}`)
    expect(stderr).toContain('See docs/configuration.md')
  })
})
