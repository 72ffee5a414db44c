import path from 'path'
import { ValidationError } from '../../src/errors/app-errors'
import { describeStore, parseStoreUrl, sameStore } from '../../src/store/transfer/store-url'

/** The store URLs `migrate --from` and `--to` take, how they are shown, and when two are one store. */
describe('store URLs', () => {
  it('reads sqlite: paths against the current folder and PostgreSQL URLs of either scheme', () => {
    expect(parseStoreUrl('sqlite:copy/hub.sqlite', '/srv/hub')).toEqual({ kind: 'sqlite', file: path.resolve('/srv/hub', 'copy/hub.sqlite') })
    expect(parseStoreUrl('sqlite:///var/lib/hub.sqlite', '/srv/hub')).toEqual({ kind: 'sqlite', file: '/var/lib/hub.sqlite' })
    expect(parseStoreUrl(' postgres://hub:pw@db.example.coop/hub ')).toEqual({ kind: 'postgres', url: 'postgres://hub:pw@db.example.coop/hub' })
    expect(parseStoreUrl('postgresql://hub@db.example.coop:6543/hub?sslmode=require')).toEqual({ kind: 'postgres', url: 'postgresql://hub@db.example.coop:6543/hub?sslmode=require' })
  })

  it('refuses what is not a store, naming the option and never the password', () => {
    const refusal = (url: string, option?: string): string => {
      try {
        parseStoreUrl(url, '/srv', option)
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError)
        return (err as Error).message
      }
      throw new Error(`${url} was accepted`)
    }
    expect(refusal('postgres://hub:pw-123@db.example.coop/hub?sslmod=require', '--from')).toMatch(/^--from has options the PostgreSQL client does not know: sslmod/)
    expect(refusal('postgres://hub:pw-123@db.example.coop')).toMatch(/^--to must name the database the hub owns, .*got "postgres:\/\/hub:\*\*\*@db\.example\.coop"$/)
    expect(refusal('mongodb+srv://u:pw-123@cluster.example/hub')).toMatch(/^The MongoDB adapter is not available in this build/)
    expect(refusal('mysql://u:pw-123@db.example/hub')).toMatch(/^--to: "mysql:\/\/u:\*\*\*@db\.example\/hub" is not a store URL this hub knows; use sqlite:<path>/)
    expect(refusal('hub.sqlite')).toMatch(/is not a store URL this hub knows/)
  })

  it('shows a PostgreSQL store without its password', () => {
    expect(describeStore({ kind: 'postgres', url: 'postgres://hub:pw-123@db.example.coop/hub' })).toBe('postgres://hub:***@db.example.coop/hub')
    expect(describeStore({ kind: 'sqlite', file: '/var/lib/hub.sqlite' })).toBe('/var/lib/hub.sqlite')
  })

  it('takes one file, or one database on one server, for the same store whatever the login', () => {
    expect(sameStore(parseStoreUrl('sqlite:a/../hub.sqlite', '/srv'), parseStoreUrl('sqlite:/srv/hub.sqlite'))).toBe(true)
    expect(sameStore(parseStoreUrl('postgres://a:x@DB.example.coop/hub'), parseStoreUrl('postgresql://b:y@db.example.coop:5432/hub?sslmode=require'))).toBe(true)
    expect(sameStore(parseStoreUrl('postgres://a@db.example.coop/hub'), parseStoreUrl('postgres://a@db.example.coop:5433/hub'))).toBe(false)
    expect(sameStore(parseStoreUrl('postgres://a@db.example.coop/hub'), parseStoreUrl('postgres://a@db.example.coop/hub2'))).toBe(false)
    expect(sameStore(parseStoreUrl('sqlite:/srv/hub.sqlite'), parseStoreUrl('postgres://a@db.example.coop/hub'))).toBe(false)
  })
})
