import { ConfigError } from '../errors/config-error'

/** Limits on connections and on inbound federation traffic (docs/configuration.md, docs/security.md). */
export interface HttpLimitsConfig {
  /** A request whose headers are not all received within this is cut off (408). */
  headersTimeoutMs: number
  /** A request (headers and body) not received in full within this is cut off (408). */
  requestTimeoutMs: number
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number
  /** Open connections one client address may hold; connections beyond are closed at once. */
  maxConnectionsPerAddress: number
  /** Inbox requests a minute from one client address, counted before any signature is checked. */
  inboxAddressRateLimitPerMinute: number
  /** Signing-key fetches a minute to one remote host name (ports ignored). */
  keyFetchesPerMinute: number
}

type Env = Record<string, string | undefined>

/**
 * Parses the connection and traffic limits; a bad value throws a ConfigError naming the
 * variable. `inboxRateLimitPerMinute` (per verified host) sets the per-address default.
 */
export function loadHttpLimitsConfig (env: Env, inboxRateLimitPerMinute: number): HttpLimitsConfig {
  const requestTimeoutMs = positiveInt(env, 'HUB_REQUEST_TIMEOUT_MS', 30_000)
  const headersTimeoutMs = positiveInt(env, 'HUB_HEADERS_TIMEOUT_MS', Math.min(20_000, requestTimeoutMs))
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('HUB_HEADERS_TIMEOUT_MS', `must not be longer than HUB_REQUEST_TIMEOUT_MS (${requestTimeoutMs}); got ${headersTimeoutMs}`)
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: positiveInt(env, 'HUB_KEEP_ALIVE_TIMEOUT_MS', 5_000),
    maxConnectionsPerAddress: positiveInt(env, 'HUB_MAX_CONNECTIONS_PER_ADDRESS', 256),
    // Several hosts may send from one address (a hosting provider): five at full rate by default.
    inboxAddressRateLimitPerMinute: positiveInt(env, 'HUB_INBOX_ADDRESS_RATE_LIMIT', 5 * inboxRateLimitPerMinute),
    keyFetchesPerMinute: positiveInt(env, 'HUB_KEY_FETCH_LIMIT', 300)
  }
}

function positiveInt (env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined) return fallback
  const value = raw.trim()
  if (value === '') throw new ConfigError(name, 'is set but empty; unset it to use the default')
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new ConfigError(name, `must be a positive whole number; got "${raw}"`)
  }
  return Number(value)
}
