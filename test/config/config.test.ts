import { spawnSync } from 'child_process'
import path from 'path'
import { loadConfig } from '../../src/config/config'
import { ConfigError } from '../../src/errors/config-error'

describe('configuration from the environment', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({}, '/srv/hub')
    expect(config).toMatchObject({
      port: 8080,
      hubUrl: 'http://localhost:8080',
      dataDir: path.resolve('/srv/hub', 'data'),
      adminToken: null,
      allowPrivateAddresses: false,
      maxBodyBytes: 1024 * 1024
    })
  })

  it('derives HUB_URL from PORT and normalises a given one to its origin', () => {
    expect(loadConfig({ PORT: '9000' }).hubUrl).toBe('http://localhost:9000')
    expect(loadConfig({ HUB_URL: 'https://Hub.Example.COOP/' }).hubUrl).toBe('https://hub.example.coop')
  })

  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be a whole number/],
    ['HUB_URL', 'hub.example', /HUB_URL must be an absolute URL/],
    ['HUB_URL', 'ftp://hub.example', /HUB_URL must use http or https/],
    ['HUB_URL', 'https://hub.example/path', /HUB_URL must be the bare origin/],
    ['HUB_ADMIN_TOKEN', 'short', /HUB_ADMIN_TOKEN must be at least 24 characters/],
    ['HUB_ALLOW_PRIVATE_ADDRESSES', 'yes', /HUB_ALLOW_PRIVATE_ADDRESSES must be 1 or 0/],
    ['DATA_DIR', '  ', /DATA_DIR is set but empty/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/]
  ])('refuses %s=%j with a message naming it', (name, value, message) => {
    let error: unknown
    try { loadConfig({ [name]: value }) } catch (err) { error = err }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).variable).toBe(name)
    expect((error as Error).message).toMatch(message)
  })

  it('reads the audience page size: 2000 by default, a positive whole number up to 50000', () => {
    expect(loadConfig({}).audiencePageSize).toBe(2_000)
    expect(loadConfig({ HUB_AUDIENCE_PAGE_SIZE: '500' }).audiencePageSize).toBe(500)
    expect(() => loadConfig({ HUB_AUDIENCE_PAGE_SIZE: '0' })).toThrow(/HUB_AUDIENCE_PAGE_SIZE must be a positive whole number/)
    expect(() => loadConfig({ HUB_AUDIENCE_PAGE_SIZE: '50001' })).toThrow(/HUB_AUDIENCE_PAGE_SIZE must be at most 50000/)
  })

  it('reads the queue poll: unset means the store decides, else a positive whole number of ms', () => {
    expect(loadConfig({}).queuePollMs).toBeNull()
    expect(loadConfig({ HUB_QUEUE_POLL_MS: '60000' }).queuePollMs).toBe(60_000)
    expect(() => loadConfig({ HUB_QUEUE_POLL_MS: '0' })).toThrow(/HUB_QUEUE_POLL_MS must be a positive whole number/)
    expect(() => loadConfig({ HUB_QUEUE_POLL_MS: '30s' })).toThrow(/HUB_QUEUE_POLL_MS must be a positive whole number/)
    expect(() => loadConfig({ HUB_QUEUE_POLL_MS: ' ' })).toThrow(/HUB_QUEUE_POLL_MS is set but empty/)
  })

  it('stops the hub at start-up with exit code 2 and the variable named', () => {
    const main = path.join(__dirname, '..', '..', 'dist', 'main.js')
    const run = spawnSync(process.execPath, [main], { env: { PATH: process.env.PATH, PORT: 'abc' }, encoding: 'utf8', timeout: 20_000 })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('Cannot start: PORT must be a whole number')
  })
})

describe('the log format', () => {
  it('is readable on a terminal and JSON elsewhere unless LOG_FORMAT says which', () => {
    expect(loadConfig({}).logFormat).toBe('auto')
    expect(loadConfig({ LOG_FORMAT: 'JSON' }).logFormat).toBe('json')
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty')
  })

  it('refuses a format it does not write, naming LOG_FORMAT and the ones it does', () => {
    let error: unknown
    try { loadConfig({ LOG_FORMAT: 'logfmt' }) } catch (err) { error = err }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).variable).toBe('LOG_FORMAT')
    expect((error as Error).message).toBe('LOG_FORMAT must be one of auto, json, pretty; got "logfmt"')
  })
})

describe('connection and traffic limits', () => {
  it('have documented defaults; the per-address inbox limit follows HUB_INBOX_RATE_LIMIT unless set', () => {
    expect(loadConfig({}).http).toEqual({
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnectionsPerAddress: 256,
      inboxAddressRateLimitPerMinute: 3_000,
      keyFetchesPerMinute: 300
    })
    expect(loadConfig({ HUB_INBOX_RATE_LIMIT: '100' }).http.inboxAddressRateLimitPerMinute).toBe(500)
    expect(loadConfig({ HUB_INBOX_RATE_LIMIT: '100', HUB_INBOX_ADDRESS_RATE_LIMIT: '40' }).http.inboxAddressRateLimitPerMinute).toBe(40)
    expect(loadConfig({ HUB_REQUEST_TIMEOUT_MS: '5000' }).http).toMatchObject({ requestTimeoutMs: 5_000, headersTimeoutMs: 5_000 })
  })

  it('refuse bad values, naming the variable', () => {
    for (const name of ['HUB_REQUEST_TIMEOUT_MS', 'HUB_HEADERS_TIMEOUT_MS', 'HUB_KEEP_ALIVE_TIMEOUT_MS', 'HUB_MAX_CONNECTIONS_PER_ADDRESS', 'HUB_INBOX_ADDRESS_RATE_LIMIT', 'HUB_KEY_FETCH_LIMIT']) {
      expect(() => loadConfig({ [name]: '0' })).toThrow(new RegExp(`${name} must be a positive whole number`))
      expect(() => loadConfig({ [name]: ' ' })).toThrow(new RegExp(`${name} is set but empty`))
    }
    expect(() => loadConfig({ HUB_HEADERS_TIMEOUT_MS: '40000' })).toThrow(/HUB_HEADERS_TIMEOUT_MS must not be longer than HUB_REQUEST_TIMEOUT_MS/)
  })
})
