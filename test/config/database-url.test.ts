import { loadConfig } from '../../src/config/config'
import { ConfigError } from '../../src/errors/config-error'

describe('HUB_DATABASE_URL', () => {
  it('is unset by default: the SQLite database in DATA_DIR', () => {
    expect(loadConfig({}).databaseUrl).toBeNull()
    expect(loadConfig({ HUB_DATABASE_URL: '  ' }).databaseUrl).toBeNull()
  })

  it.each([
    'postgres://hub:s3cret@db.example.coop:5432/hub',
    'postgresql://hub@db.example.coop/hub?sslmode=verify-full&sslrootcert=/etc/ssl/db-ca.pem',
    'postgres://hub@10.0.0.5/hub?sslmode=require&application_name=hub-1&connect_timeout=10',
    'postgres:///hub?host=/var/run/postgresql'
  ])('accepts %s', url => {
    expect(loadConfig({ HUB_DATABASE_URL: url }).databaseUrl).toBe(url)
  })

  it.each([
    ['mysql://hub@db.example.coop/hub', /must start with postgres:\/\/ or postgresql:\/\//],
    ['mongodb://db.example.coop/hub', /MongoDB is not supported/],
    ['db.example.coop/hub', /must be a PostgreSQL URL such as/],
    ['postgres://hub:s3cret@db.example.coop:5432/', /must name the database/],
    ['postgres:///hub', /must name the server/],
    ['postgres://hub@db.example.coop/hub?sslmod=require', /options the PostgreSQL client does not know: sslmod/],
    ['postgres://hub@db.example.coop/hub?sslmode=always', /sslmode must be one of disable, prefer, require/],
    ['postgres://hub@db.example.coop/hub?sslmode=verify-ca', /sslmode=verify-ca needs sslrootcert=/]
  ])('refuses %s with a ConfigError that says why', (url, message) => {
    let error: unknown
    try { loadConfig({ HUB_DATABASE_URL: url }) } catch (err) { error = err }
    expect(error).toBeInstanceOf(ConfigError)
    expect(String((error as Error).message)).toMatch(/HUB_DATABASE_URL/)
    expect(String((error as Error).message)).toMatch(message)
  })

  it('never repeats the password in its error', () => {
    expect(() => loadConfig({ HUB_DATABASE_URL: 'postgres://hub:s3cret@db.example.coop:5432/' })).toThrow(/hub:\*\*\*@db\.example\.coop/)
    expect(() => loadConfig({ HUB_DATABASE_URL: 'postgres://hub:s3cret@db.example.coop:5432/' })).not.toThrow(/s3cret/)
  })
})
