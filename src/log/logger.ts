import pino, { Logger } from 'pino'

export type { Logger }

/** How log entries are written: JSON lines, readable lines, or readable on a terminal and JSON elsewhere. */
export type LogFormat = 'auto' | 'json' | 'pretty'

/** The values LOG_FORMAT takes, the default first. */
export const LOG_FORMATS: readonly LogFormat[] = ['auto', 'json', 'pretty']

/** Secrets that must never reach a log line, wherever they appear in a logged object. */
const REDACTED_PATHS = [
  'token', '*.token', 'authorization', '*.authorization', 'headers.authorization',
  'privateKey', '*.privateKey', '_meta.privateKey', '*._meta.privateKey', 'signingKey', '*.signingKey'
]

/**
 * The format `auto` stands for: readable lines when stdout is a terminal (an admin running the
 * hub by hand), JSON lines otherwise (a file, a pipe, journald, a log collector).
 */
export function resolveLogFormat (format: LogFormat, terminal = process.stdout.isTTY === true): 'json' | 'pretty' {
  if (format === 'auto') return terminal ? 'pretty' : 'json'
  return format
}

/**
 * Creates the hub's logger on stdout (or `destination`): JSON lines, or with `pretty` one line per
 * entry (time, level, message) and its fields below it. Secrets are redacted before either
 * format sees the entry.
 */
export function createLogger (level: string, format: LogFormat = 'json', destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }
  if (resolveLogFormat(format) === 'json') return destination === undefined ? pino(options) : pino(options, destination)
  // Loaded only here: it adds about 25 ms to every start and command, and JSON does not need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PinoPretty } = require('pino-pretty') as typeof import('pino-pretty')
  // Written synchronously: a person reads these, at a terminal's pace, and the lines just before a
  // crash must be there. (pino's JSON to stdout is buffered and flushed at exit.)
  return pino(options, PinoPretty({
    destination: destination ?? 1,
    colorize: destination === undefined && coloursWanted(),
    sync: true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'pid,hostname'
  }))
}

/** Colours on stdout only when it is a terminal that shows them, and not turned off (https://no-color.org). */
function coloursWanted (): boolean {
  return process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
}
