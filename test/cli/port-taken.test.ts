import { spawn } from 'child_process'
import fs from 'fs'
import net from 'net'
import os from 'os'
import path from 'path'

const ROOT = path.join(__dirname, '..', '..')

/**
 * A start whose port is already taken (a second hub started with the first one's PORT) exits
 * non-zero and says so before it creates or prints an admin token: the token a newcomer copies
 * must be the one of a hub that serves.
 */
describe('a start on a taken port', () => {
  let blocker: net.Server
  let port: number
  let dataDir: string

  beforeAll(async () => {
    blocker = net.createServer()
    await new Promise<void>(resolve => blocker.listen(0, () => resolve()))
    port = (blocker.address() as net.AddressInfo).port
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-taken-'))
  })
  afterAll(async () => {
    await new Promise<void>(resolve => blocker.close(() => resolve()))
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('exits non-zero naming the port, with no admin token created or printed', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
      env: { PATH: process.env.PATH, PORT: String(port), DATA_DIR: dataDir, HUB_SCHEDULER: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', d => { stdout += String(d) })
    child.stderr.on('data', d => { stderr += String(d) })
    const code = await new Promise<number | null>(resolve => child.once('exit', c => resolve(c)))
    expect(code).toBe(1)
    expect(stderr).toContain(`Cannot start: port ${port} is already in use. Stop the other program or set PORT to a free port.`)
    expect(stdout).not.toMatch(/admin token/i)
    expect(fs.existsSync(path.join(dataDir, 'admin-token'))).toBe(false)
  }, 30_000)
})
