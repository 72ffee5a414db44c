import { loadConfig } from '../../src/config/config'
import { ConfigError } from '../../src/errors/config-error'

describe('scheduled sync configuration', () => {
  it('uses the documented defaults', () => {
    expect(loadConfig({}).sync).toEqual({
      scheduler: true,
      schedules: { directories: '0 * * * *', siblings: '*/15 * * * *', health: '*/10 * * * *', expiry: '30 3 * * *' },
      timezone: 'UTC',
      leaseMs: 120_000,
      graceMs: 30 * 24 * 3600 * 1000,
      fetchTimeoutMs: 30_000,
      maxSourceBytes: 10 * 1024 * 1024,
      siblingUnreachableAfter: 3,
      healthTimeoutMs: 10_000,
      healthSlowMs: 3000
    })
  })

  it('takes schedules with seconds, "off", a time zone and numbers', () => {
    const sync = loadConfig({
      HUB_SCHEDULE_HEALTH: '*/5 * * * * *', HUB_SCHEDULE_EXPIRY: 'off', HUB_SCHEDULE_TIMEZONE: 'Europe/Paris',
      HUB_SCHEDULER: '0', HUB_SYNC_GRACE_DAYS: '7', HUB_SIBLING_UNREACHABLE_AFTER: '5'
    }).sync
    expect(sync).toMatchObject({
      scheduler: false, timezone: 'Europe/Paris', graceMs: 7 * 24 * 3600 * 1000, siblingUnreachableAfter: 5,
      schedules: { health: '*/5 * * * * *', expiry: null, directories: '0 * * * *' }
    })
  })

  it.each([
    ['HUB_SCHEDULE_DIRECTORIES', 'hourly', /HUB_SCHEDULE_DIRECTORIES must be a cron expression such as "0 \* \* \* \*"/],
    ['HUB_SCHEDULE_HEALTH', '61 * * * *', /HUB_SCHEDULE_HEALTH must be a cron expression.*61 is a invalid expression for minute/],
    ['HUB_SCHEDULE_SIBLINGS', ' ', /HUB_SCHEDULE_SIBLINGS is set but empty/],
    ['HUB_SCHEDULE_TIMEZONE', 'Mars/Olympus', /HUB_SCHEDULE_TIMEZONE must be an IANA time zone/],
    ['HUB_SCHEDULER', 'yes', /HUB_SCHEDULER must be 1 or 0/],
    ['HUB_SYNC_GRACE_DAYS', '0', /HUB_SYNC_GRACE_DAYS must be a positive whole number/],
    ['HUB_JOB_LEASE_SECONDS', '1.5', /HUB_JOB_LEASE_SECONDS must be a positive whole number/]
  ])('names %s when its value %j is wrong', (name, value, message) => {
    let error: unknown
    try { loadConfig({ [name]: value }) } catch (err) { error = err }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).variable).toBe(name)
    expect((error as Error).message).toMatch(message)
  })
})
