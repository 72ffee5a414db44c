import pino, { Logger } from 'pino'

export type { Logger }

/** Secrets that must never reach a log line, wherever they appear in a logged object. */
const REDACTED_PATHS = [
  'token', '*.token', 'authorization', '*.authorization', 'headers.authorization',
  'privateKey', '*.privateKey', '_meta.privateKey', '*._meta.privateKey', 'signingKey', '*.signingKey'
]

/** Creates the hub's structured logger (JSON lines on stdout, secrets redacted). */
export function createLogger (level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } })
}
