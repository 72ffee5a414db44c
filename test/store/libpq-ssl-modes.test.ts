/**
 * What each accepted sslmode makes the pg client do, read from the options pg parses out of the
 * URL the store hands it (no connection is made): libpq's meaning, as psql and pg_dump give it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { withLibpqSslModes } from '../../src/store/postgres/libpq-ssl-modes'

/** The TLS options pg would connect with, for the URL the store builds from `url`. */
function tlsOptions (url: string): false | Record<string, unknown> {
  const client = new pg.Client({ connectionString: withLibpqSslModes(url) })
  return (client as unknown as { connectionParameters: { ssl: false | Record<string, unknown> } }).connectionParameters.ssl
}

describe('sslmode in HUB_DATABASE_URL', () => {
  const base = 'postgres://hub:secret@db.example.coop:5432/hub'
  let folder: string
  let ca: string
  const pem = '-----BEGIN CERTIFICATE-----\nnot a real certificate, only read\n-----END CERTIFICATE-----\n'
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-test-ca-'))
    ca = path.join(folder, 'ca.pem')
    fs.writeFileSync(ca, pem)
  })
  afterAll(() => { fs.rmSync(folder, { recursive: true, force: true }) })

  it('disable: no TLS', () => {
    expect(tlsOptions(`${base}?sslmode=disable`)).toBe(false)
  })

  it.each(['prefer', 'require'])('%s: TLS without checking the certificate (libpq), not verify-full', mode => {
    expect(tlsOptions(`${base}?sslmode=${mode}`)).toEqual({ rejectUnauthorized: false })
  })

  it('require with sslrootcert: the certificate must chain to that CA, whatever the server\'s name (as verify-ca)', () => {
    const tls = tlsOptions(`${base}?sslmode=require&sslrootcert=${encodeURIComponent(ca)}`) as Record<string, unknown>
    expect(tls.ca).toBe(pem)
    expect(tls.rejectUnauthorized).toBeUndefined()
    expect(typeof tls.checkServerIdentity).toBe('function')
  })

  it('verify-ca: the certificate must chain to the CA file; the server\'s name is not checked', () => {
    const tls = tlsOptions(`${base}?sslmode=verify-ca&sslrootcert=${encodeURIComponent(ca)}`) as Record<string, unknown>
    expect(tls.ca).toBe(pem)
    expect(tls.rejectUnauthorized).toBeUndefined()
    expect((tls.checkServerIdentity as () => unknown)()).toBeUndefined()
  })

  it('verify-full: the certificate and the server\'s name are both checked (Node\'s defaults, nothing relaxed)', () => {
    expect(tlsOptions(`${base}?sslmode=verify-full`)).toEqual({})
    const tls = tlsOptions(`${base}?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca)}`) as Record<string, unknown>
    expect(tls).toEqual({ ca: pem })
  })

  it('no-verify (pg\'s own mode): TLS without checking the certificate', () => {
    expect(tlsOptions(`${base}?sslmode=no-verify`)).toEqual({ rejectUnauthorized: false })
  })

  it('no sslmode: no TLS, as pg does by default', () => {
    expect(tlsOptions(base)).toBe(false)
    expect(withLibpqSslModes(base)).toBe(base)
  })

  it('keeps a URL that chooses uselibpqcompat itself as it is', () => {
    const url = `${base}?sslmode=require&uselibpqcompat=false`
    expect(withLibpqSslModes(url)).toBe(url)
    expect(withLibpqSslModes(`${base}?sslmode=require&uselibpqcompat=true`)).toBe(`${base}?sslmode=require&uselibpqcompat=true`)
  })
})
