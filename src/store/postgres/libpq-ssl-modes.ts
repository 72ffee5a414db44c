/**
 * The connection URL handed to the pg client, with libpq's meaning for `sslmode`. pg 8 (its
 * pg-connection-string 2.x) treats prefer, require and verify-ca as verify-full unless the URL
 * says `uselibpqcompat=true`: a server with a self-signed certificate would then be refused under
 * `require`, which libpq (psql, pg_dump) accepts. docs/configuration.md says what each mode does.
 */

/** The modes whose meaning differs between pg's default reading and libpq's. */
const LIBPQ_MODES = new Set(['prefer', 'require', 'verify-ca'])

/** `url` with `uselibpqcompat=true` added when its sslmode needs it and the URL does not choose itself. */
export function withLibpqSslModes (url: string): string {
  const question = url.indexOf('?')
  if (question < 0) return url
  const query = new URLSearchParams(url.slice(question + 1))
  const sslmode = query.get('sslmode')
  // no-verify is pg's own mode, which compatibility mode does not know: leave it to pg.
  if (sslmode === null || !LIBPQ_MODES.has(sslmode) || query.has('uselibpqcompat')) return url
  return `${url}&uselibpqcompat=true`
}
