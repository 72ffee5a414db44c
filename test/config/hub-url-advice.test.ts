import { spawnSync } from 'child_process'
import path from 'path'
import { loadConfig } from '../../src/config/config'

const ROOT = path.join(__dirname, '..', '..')

/** First-hour configuration mistakes get a message that says what to write instead. */
describe('HUB_URL without a scheme, and the data folders git should ignore', () => {
  it.each([
    ['hub.example.coop', 'https://hub.example.coop'],
    ['localhost:8081', 'https://localhost:8081'],
    ['hub.example.coop/', 'https://hub.example.coop']
  ])('names HUB_URL, repeats %j and shows an https:// example', (value, example) => {
    expect(() => loadConfig({ HUB_URL: value })).toThrow(`HUB_URL must be an absolute URL starting with https:// (or http:// for a test on one machine); got "${value}". Example: HUB_URL=${example}`)
  })

  it('keeps the default data folder and every data*/ folder out of git', () => {
    for (const folder of ['data/hub.sqlite', 'data-b/hub.sqlite', 'data2/admin-token']) {
      const check = spawnSync('git', ['check-ignore', '--no-index', '-q', folder], { cwd: ROOT })
      expect({ folder, ignored: check.status === 0 }).toEqual({ folder, ignored: true })
    }
    const source = spawnSync('git', ['check-ignore', '--no-index', '-q', 'src/directory/directory.service.ts'], { cwd: ROOT })
    expect(source.status).toBe(1)
  })
})
