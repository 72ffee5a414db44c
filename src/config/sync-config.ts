import cron from 'node-cron'
import { ConfigError } from '../errors/config-error'
import { JOB_NAMES, JobName } from '../domain/job-names'

/** The scheduler's settings: when each job runs and how patient the syncs are. */
export interface SyncConfig {
  /** Whether this process runs the schedules (several processes may; each tick runs once). */
  scheduler: boolean
  /** node-cron expressions (5 or 6 fields; 6 means seconds first); null turns a schedule off. */
  schedules: Record<JobName, string | null>
  timezone: string
  /** How long a job's lease lasts without renewal; a running job renews it every third of that. */
  leaseMs: number
  /** How long a record missing from its source stays (marked gone) before it is deleted. */
  graceMs: number
  /** Time-out of each request to a directory source or sibling. */
  fetchTimeoutMs: number
  /** Largest directory document accepted. */
  maxSourceBytes: number
  /** Failed sibling syncs in a row before a sibling is shown unreachable. */
  siblingUnreachableAfter: number
  healthTimeoutMs: number
  /** A probe answering slower than this makes the service degraded. */
  healthSlowMs: number
}

/** The documented default schedules (docs/sync.md). */
export const DEFAULT_SCHEDULES: Record<JobName, string> = {
  directories: '0 * * * *',
  siblings: '*/15 * * * *',
  health: '*/10 * * * *',
  expiry: '30 3 * * *'
}

type Env = Record<string, string | undefined>

/** Parses the scheduler's environment variables; a bad value throws a ConfigError naming it. */
export function loadSyncConfig (env: Env): SyncConfig {
  const schedules = {} as Record<JobName, string | null>
  for (const job of JOB_NAMES) schedules[job] = parseSchedule(env, `HUB_SCHEDULE_${job.toUpperCase()}`, DEFAULT_SCHEDULES[job])
  return {
    scheduler: parseOnOff(env.HUB_SCHEDULER, 'HUB_SCHEDULER', true),
    schedules,
    timezone: parseTimezone(env.HUB_SCHEDULE_TIMEZONE),
    leaseMs: positiveInt(env, 'HUB_JOB_LEASE_SECONDS', 120) * 1000,
    graceMs: positiveInt(env, 'HUB_SYNC_GRACE_DAYS', 30) * 24 * 3600 * 1000,
    fetchTimeoutMs: positiveInt(env, 'HUB_SYNC_TIMEOUT_SECONDS', 30) * 1000,
    maxSourceBytes: positiveInt(env, 'HUB_SYNC_MAX_BYTES', 10 * 1024 * 1024),
    siblingUnreachableAfter: positiveInt(env, 'HUB_SIBLING_UNREACHABLE_AFTER', 3),
    healthTimeoutMs: positiveInt(env, 'HUB_HEALTH_TIMEOUT_SECONDS', 10) * 1000,
    healthSlowMs: positiveInt(env, 'HUB_HEALTH_SLOW_MS', 3000)
  }
}

function trimmed (raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined
  if (raw.trim() === '') throw new ConfigError(name, 'is set but empty; unset it to use the default')
  return raw.trim()
}

function parseSchedule (env: Env, name: string, fallback: string): string | null {
  const value = trimmed(env[name], name)
  if (value === undefined) return fallback
  if (value.toLowerCase() === 'off') return null
  if (!cron.validate(value)) {
    const problems = cron.validateDetailed(value).errors.map(e => e.message).join('; ')
    throw new ConfigError(name, `must be a cron expression such as "${fallback}" (5 fields, or 6 with seconds first) or "off"; got "${value}"${problems ? ` (${problems})` : ''}`)
  }
  return value
}

function parseOnOff (raw: string | undefined, name: string, fallback: boolean): boolean {
  const value = trimmed(raw, name)
  if (value === undefined) return fallback
  if (value === '1' || value === 'true') return true
  if (value === '0' || value === 'false') return false
  throw new ConfigError(name, `must be 1 or 0; got "${raw}"`)
}

function parseTimezone (raw: string | undefined): string {
  const value = trimmed(raw, 'HUB_SCHEDULE_TIMEZONE')
  if (value === undefined) return 'UTC'
  try {
    new Intl.DateTimeFormat('en', { timeZone: value }).format()
  } catch {
    throw new ConfigError('HUB_SCHEDULE_TIMEZONE', `must be an IANA time zone such as UTC or Europe/Paris; got "${raw}"`)
  }
  return value
}

function positiveInt (env: Env, name: string, fallback: number): number {
  const value = trimmed(env[name], name)
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new ConfigError(name, `must be a positive whole number; got "${env[name]}"`)
  return Number(value)
}
