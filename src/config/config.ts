import path from 'path'
import { ConfigError } from '../errors/config-error'
import { addressRangeProblem, PrivateAddressPolicy } from './address-ranges'
import { parseDatabaseUrl } from './database-url'
import { loadSyncConfig, SyncConfig } from './sync-config'
import { HttpLimitsConfig, loadHttpLimitsConfig } from './http-limits-config'
import { LOG_FORMATS, type LogFormat } from '../log/logger'

/** Everything the hub reads from its environment, parsed and checked once at start-up. */
export interface HubConfig {
  port: number
  /** Public base URL without a trailing slash, e.g. `https://hub.coop.example`. */
  hubUrl: string
  dataDir: string
  /**
   * HUB_DATABASE_URL: a PostgreSQL database the hub owns (shared by hub processes on several
   * machines), or null for the SQLite database in `dataDir` (docs/scaling.md).
   */
  databaseUrl: string | null
  /** Shown in NodeInfo and on pages; the host name when unset. */
  hubName: string | null
  /** Set when the admin gave one; otherwise the hub generates and stores one. */
  adminToken: string | null
  /**
   * Which loopback and private addresses outgoing requests may reach: none (false), all (true:
   * tests, demo) or those in a list of IPs and CIDR ranges (a sibling hub on the LAN). Parsed once
   * here; every outbound call site reads this one value (through the OutboundClient).
   */
  allowPrivateAddresses: PrivateAddressPolicy
  /** Largest inbox or API body accepted, in bytes. */
  maxBodyBytes: number
  /** Inbox requests a minute accepted from one verified remote host before it gets 429. */
  inboxRateLimitPerMinute: number
  /** Timeouts, connections per address, inbox requests per address, key fetches per host (docs/configuration.md). */
  http: HttpLimitsConfig
  logLevel: string
  /** LOG_FORMAT: JSON lines, readable lines, or `auto` (readable on a terminal, JSON elsewhere). */
  logFormat: LogFormat
  /** Scheduled sync: job schedules, leases, source and probe limits (docs/sync.md). */
  sync: SyncConfig
  /** How often this process beats in the process registry and polls the delivery queue (docs/scaling.md). */
  processHeartbeatMs: number
  /**
   * How often each process polls the delivery queue and the outbox for work it was not woken for;
   * null: every heartbeat on SQLite, 30 s where the store wakes the workers (PostgreSQL, docs/scaling.md).
   */
  queuePollMs: number | null
  /** How long the decision a `vote` umbrella opens on a Join stays open, in seconds (docs/umbrellas.md). */
  admissionVoteSeconds: number
  /** Followers read and queued per step when a publish's audience is resolved (docs/performance.md). */
  audiencePageSize: number
}

type Env = Record<string, string | undefined>

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Parses the environment into a HubConfig; a bad value throws a ConfigError naming the variable. */
export function loadConfig (env: Env = process.env, cwd = process.cwd()): HubConfig {
  const port = parsePort(env.PORT)
  const hubUrl = parseHubUrl(env.HUB_URL, port)
  const dataDir = path.resolve(cwd, nonEmpty(env.DATA_DIR, 'DATA_DIR') ?? './data')
  const databaseUrl = parseDatabaseUrl(env.HUB_DATABASE_URL)
  const adminToken = parseAdminToken(env.HUB_ADMIN_TOKEN)
  const hubName = nonEmpty(env.HUB_NAME, 'HUB_NAME') ?? null
  const allowPrivateAddresses = parsePrivateAddresses(env.HUB_ALLOW_PRIVATE_ADDRESSES)
  const inboxRateLimitPerMinute = parsePositiveInt(env.HUB_INBOX_RATE_LIMIT, 'HUB_INBOX_RATE_LIMIT', 600)
  const maxBodyBytes = parsePositiveInt(env.HUB_MAX_BODY_BYTES, 'HUB_MAX_BODY_BYTES', 1024 * 1024)
  const logLevel = (env.LOG_LEVEL ?? 'info').toLowerCase()
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}; got "${env.LOG_LEVEL}"`)
  }
  const logFormat = parseLogFormat(env.LOG_FORMAT)
  const sync = loadSyncConfig(env)
  const processHeartbeatMs = parsePositiveInt(env.HUB_PROCESS_HEARTBEAT_MS, 'HUB_PROCESS_HEARTBEAT_MS', 5_000)
  const queuePollMs = env.HUB_QUEUE_POLL_MS === undefined ? null : parsePositiveInt(env.HUB_QUEUE_POLL_MS, 'HUB_QUEUE_POLL_MS', 0)
  const http = loadHttpLimitsConfig(env, inboxRateLimitPerMinute)
  const admissionVoteSeconds = parsePositiveInt(env.HUB_ADMISSION_VOTE_SECONDS, 'HUB_ADMISSION_VOTE_SECONDS', 7 * 24 * 3600)
  const audiencePageSize = parsePositiveInt(env.HUB_AUDIENCE_PAGE_SIZE, 'HUB_AUDIENCE_PAGE_SIZE', 2_000)
  if (audiencePageSize > 50_000) throw new ConfigError('HUB_AUDIENCE_PAGE_SIZE', `must be at most 50000 (a page is held in memory); got ${audiencePageSize}`)
  return { port, hubUrl, dataDir, databaseUrl, hubName, adminToken, allowPrivateAddresses, inboxRateLimitPerMinute, http, maxBodyBytes, logLevel, logFormat, sync, processHeartbeatMs, queuePollMs, admissionVoteSeconds, audiencePageSize }
}

function parseLogFormat (value: string | undefined): LogFormat {
  const format = (value ?? 'auto').toLowerCase()
  if (!(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError('LOG_FORMAT', `must be one of ${LOG_FORMATS.join(', ')}; got "${value}"`)
  }
  return format as LogFormat
}

function nonEmpty (value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined
  if (value.trim() === '') throw new ConfigError(name, 'is set but empty; unset it to use the default')
  return value.trim()
}

function parsePort (raw: string | undefined): number {
  const value = nonEmpty(raw, 'PORT')
  if (value === undefined) return 8080
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new ConfigError('PORT', `must be a whole number from 0 to 65535; got "${raw}"`)
  }
  return Number(value)
}

function parseHubUrl (raw: string | undefined, port: number): string {
  const value = nonEmpty(raw, 'HUB_URL')
  if (value === undefined) return `http://localhost:${port}`
  // `hub.example.coop` or `localhost:8080` (which URL parsing would read as a scheme) lacks one.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const example = /^[\w.-]+(:\d+)?\/?$/.test(value) ? value.replace(/\/$/, '') : 'hub.example.coop'
    throw new ConfigError('HUB_URL', `must be an absolute URL starting with https:// (or http:// for a test on one machine); got "${raw}". Example: HUB_URL=https://${example}`)
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError('HUB_URL', `must be an absolute URL such as https://hub.example.coop; got "${raw}"`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('HUB_URL', `must use http or https; got "${url.protocol}"`)
  }
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new ConfigError('HUB_URL', `must be the bare origin with no path, query or fragment; got "${raw}"`)
  }
  return url.origin
}

function parseAdminToken (raw: string | undefined): string | null {
  const value = nonEmpty(raw, 'HUB_ADMIN_TOKEN')
  if (value === undefined) return null
  if (value.length < 24) {
    throw new ConfigError('HUB_ADMIN_TOKEN', 'must be at least 24 characters long; use a random value')
  }
  return value
}

function parseFlag (raw: string | undefined, name: string): boolean {
  const value = nonEmpty(raw, name)
  if (value === undefined || value === '0' || value === 'false') return false
  if (value === '1' || value === 'true') return true
  throw new ConfigError(name, `must be 1 or 0; got "${raw}"`)
}

function parsePositiveInt (raw: string | undefined, name: string, fallback: number): number {
  const value = nonEmpty(raw, name)
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new ConfigError(name, `must be a positive whole number; got "${raw}"`)
  }
  return Number(value)
}

/** 1 or 0 (all non-public addresses allowed or none), or a comma-separated list of IPs and CIDR ranges. */
function parsePrivateAddresses (raw: string | undefined): PrivateAddressPolicy {
  const value = nonEmpty(raw, 'HUB_ALLOW_PRIVATE_ADDRESSES')
  if (value === undefined || !/[.:/]/.test(value)) return parseFlag(raw, 'HUB_ALLOW_PRIVATE_ADDRESSES')
  const list = value.split(',').map(v => v.trim()).filter(Boolean)
  for (const range of list) {
    const problem = addressRangeProblem(range)
    if (problem) throw new ConfigError('HUB_ALLOW_PRIVATE_ADDRESSES', `must be 1, 0 or a comma-separated list of IP addresses and CIDR ranges; ${problem}`)
  }
  return Object.freeze(list)
}
