import fs from 'fs'
import os from 'os'
import path from 'path'
import { loadConfig } from '../../src/config/config'
import { startHub } from '../../src/main'
import { freePort } from '../helpers/ports'
import { runCliCapturing as run, useCliDataDir } from '../helpers/cli-env'

/** A hub keeps the address it was first started with: a later start or CLI command under another refuses. */
describe('one hub, one address', () => {
  describe('the server', () => {
    let dataDir: string
    beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-url-')) })
    afterEach(() => { fs.rmSync(dataDir, { recursive: true, force: true }) })

    const config = (env: Record<string, string>): ReturnType<typeof loadConfig> =>
      loadConfig({ DATA_DIR: dataDir, HUB_ADMIN_TOKEN: 'test-admin-token-0123456789abcdef', LOG_LEVEL: 'silent', HUB_SCHEDULER: '0', ...env })

    it('refuses a later start whose HUB_URL, given or derived from PORT, differs, naming both URLs and the fix', async () => {
      const port = await freePort()
      const first = await startHub(config({ PORT: String(port) }))
      await first.stop()

      const moved = await freePort()
      await expect(startHub(config({ PORT: String(moved) }))).rejects.toThrow(
        `HUB_URL is http://localhost:${moved} (set, or derived from PORT), but this hub's database (DATA_DIR) was set up for http://localhost:${port}: its actor ids point there. ` +
        `Set HUB_URL=http://localhost:${port} to run this hub, or use another DATA_DIR for a new hub.`)
      await expect(startHub(config({ PORT: String(moved), HUB_URL: 'https://hub.example.coop' }))).rejects.toThrow(/HUB_URL is https:\/\/hub\.example\.coop .* set up for http:\/\/localhost:\d+/)

      // The same address starts again, from another port behind it.
      const again = await startHub(config({ PORT: String(moved), HUB_URL: `http://localhost:${port}` }))
      await again.stop()
    })
  })

  describe('the CLI', () => {
    useCliDataDir()

    it('uses the recorded URL when neither HUB_URL nor PORT is set, and refuses a set one that differs, naming both', async () => {
      expect((await run('coop', 'create', 'alpha', '--name', 'Alpha')).output).toContain('https://hub.example.coop/u/alpha')

      delete process.env.HUB_URL
      const created = await run('coop', 'create', 'beta', '--name', 'Beta')
      expect(created.code).toBe(0)
      expect(created.output).toContain('Created co-op beta: https://hub.example.coop/u/beta')

      process.env.HUB_URL = 'https://other.example.coop'
      const other = await run('coop', 'create', 'gamma', '--name', 'Gamma')
      expect(other.code).toBe(2)
      expect(other.output).toMatch(/^Configuration error: HUB_URL is https:\/\/other\.example\.coop .* set up for https:\/\/hub\.example\.coop: .*Set HUB_URL=https:\/\/hub\.example\.coop/)

      delete process.env.HUB_URL
      process.env.PORT = '9000'
      const derived = await run('coop', 'create', 'gamma', '--name', 'Gamma')
      expect(derived.code).toBe(2)
      expect(derived.output).toMatch(/HUB_URL is http:\/\/localhost:9000 .* set up for https:\/\/hub\.example\.coop/)

      delete process.env.PORT
      expect((await run('coop', 'create', 'gamma', '--name', 'Gamma')).output).toContain('https://hub.example.coop/u/gamma')
    })
  })
})
