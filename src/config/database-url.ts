import { ConfigError } from '../errors/config-error'

/** The query options the PostgreSQL client reads from a connection URL (as libpq names them). */
export const DATABASE_URL_OPTIONS = [
  'sslmode', 'ssl', 'sslcert', 'sslkey', 'sslrootcert', 'sslnegotiation', 'uselibpqcompat',
  'application_name', 'fallback_application_name', 'options', 'client_encoding', 'encoding',
  'connect_timeout', 'keepalives', 'keepalives_idle', 'statement_timeout', 'lock_timeout',
  'idle_in_transaction_session_timeout', 'query_timeout', 'host', 'port', 'user', 'password', 'db'
] as const

const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify']

/** The URL with its password replaced, fit for an error message or a log line. */
export function redactDatabaseUrl (raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@').replace(/([?&]password=)[^&]*/i, '$1***')
}

/**
 * Parses HUB_DATABASE_URL: unset or empty means the SQLite store in DATA_DIR; otherwise a
 * `postgres://` or `postgresql://` URL naming a database, with the client's usual query options.
 * A bad value is a ConfigError that never repeats the password.
 */
export function parseDatabaseUrl (raw: string | undefined): string | null {
  const value = raw?.trim()
  if (!value) return null
  const shown = redactDatabaseUrl(value)
  const example = 'postgres://hub:secret@db.example.coop:5432/hub?sslmode=verify-full'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError('HUB_DATABASE_URL', `must be a PostgreSQL URL such as ${example}; got "${shown}"`)
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    const hint = url.protocol.startsWith('mongodb') ? ' (MongoDB is not supported: see docs/scaling.md)' : ''
    throw new ConfigError('HUB_DATABASE_URL', `must start with postgres:// or postgresql://; got "${url.protocol}//"${hint}. Leave it unset to keep the SQLite database in DATA_DIR`)
  }
  const unknown = [...url.searchParams.keys()].filter(k => !(DATABASE_URL_OPTIONS as readonly string[]).includes(k))
  if (unknown.length) {
    throw new ConfigError('HUB_DATABASE_URL', `has options the PostgreSQL client does not know: ${unknown.join(', ')}; known options: ${DATABASE_URL_OPTIONS.join(', ')}`)
  }
  const sslmode = url.searchParams.get('sslmode')
  if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
    throw new ConfigError('HUB_DATABASE_URL', `sslmode must be one of ${SSL_MODES.join(', ')}; got "${sslmode}"`)
  }
  // libpq's verify-ca checks the certificate against the CA file alone: without one, any server a
  // public CA signed would pass. The client refuses it at the first query; say so at start-up.
  if (sslmode === 'verify-ca' && !url.searchParams.get('sslrootcert') && url.searchParams.get('uselibpqcompat') !== 'false') {
    throw new ConfigError('HUB_DATABASE_URL', 'sslmode=verify-ca needs sslrootcert=/path/to/ca.pem, the CA that signed the server\'s certificate; or use sslmode=verify-full to check the server\'s name against the system\'s CAs')
  }
  if (!url.hostname && !url.searchParams.get('host')) {
    throw new ConfigError('HUB_DATABASE_URL', `must name the server: postgres://HOST/DATABASE, or ?host=/path/to/socket-folder for a unix socket; got "${shown}"`)
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''))
  if (!database && !url.searchParams.get('db')) {
    throw new ConfigError('HUB_DATABASE_URL', `must name the database the hub owns, e.g. ${example}; got "${shown}"`)
  }
  return value
}
