import { ChildProcess, spawn } from 'child_process'
import fs from 'fs'
import os from 'os'
import path from 'path'
import { freePort } from '../helpers/ports'

const ROOT = path.join(__dirname, '..', '..')

/**
 * README's first command, `npm start`, as a newcomer runs it (here with its own port and data
 * directory): it starts a hub that answers, keeps its admin token in the data directory, and
 * stops on SIGTERM.
 */
describe('npm start', () => {
  let child: ChildProcess | undefined
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-start-'))

  afterAll(() => {
    // npm runs the hub as its child: signal the whole process group, if it is still running (npm
    // ends by re-sending itself the signal it forwarded, so a stopped npm has a signal, no exit code).
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL')
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('starts a hub that answers on its port and stops on SIGTERM', async () => {
    const port = await freePort()
    child = spawn('npm', ['start'], {
      cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: dataDir, HUB_SCHEDULER: '0', LOG_LEVEL: 'warn' }
    })
    let output = ''
    child.stdout?.on('data', d => { output += String(d) })
    child.stderr?.on('data', d => { output += String(d) })
    const exited = new Promise<number | null>(resolve => child?.once('exit', code => resolve(code)))

    let nodeinfo: { software?: { name?: string } } | undefined
    const deadline = Date.now() + 60_000
    while (nodeinfo === undefined) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`)
      if (Date.now() > deadline) throw new Error(`npm start did not answer within 60 s:\n${output}`)
      try {
        const res = await fetch(`http://127.0.0.1:${port}/nodeinfo/2.1`)
        if (res.ok) nodeinfo = await res.json() as typeof nodeinfo
      } catch { /* not listening yet */ }
      if (nodeinfo === undefined) await new Promise(resolve => setTimeout(resolve, 200))
    }
    expect(nodeinfo?.software?.name).toBe('ioocloud-hub')
    expect(fs.existsSync(path.join(dataDir, 'admin-token'))).toBe(true)

    process.kill(-(child.pid as number), 'SIGTERM')
    await exited
    await expect(fetch(`http://127.0.0.1:${port}/nodeinfo/2.1`)).rejects.toThrow()
  }, 90_000)
})
