import type { IncomingHttpHeaders } from 'http'

/**
 * The inbox's reading of Content-Type, with the grammar and normalisation Express's `req.is`
 * applies (RFC 6838 names, `;`-separated parameters, quoted strings), so that exactly the
 * headers the hub accepted before are accepted now.
 */

/** The media types an inbox reads. */
export const ACTIVITY_MEDIA_TYPES: readonly string[] = ['application/activity+json', 'application/ld+json', 'application/json']

const TYPE_AND_SUBTYPE = /^ *([a-z0-9][a-z0-9!#$&^_-]{0,126})\/([a-z0-9][a-z0-9!#$&^_.+-]{0,126}) *$/
const NAME = /^[a-z0-9][a-z0-9!#$&^_-]{0,126}$/
const SUBTYPE_NAME = /^[a-z0-9][a-z0-9!#$&^_.-]{0,126}$/
const PARAMETER = /; *([!#$%&'*+\-.0-9A-Z^_`a-z|~]+) *= *("(?:[ !\u0023-\u005b\u005d-\u007e\u0080-\u00ff]|\\[\u0020-\u007e])*"|[!#$%&'*+\-.0-9A-Z^_`a-z|~]+) */y
const QUOTED_PAIR = /\\([\u0000-\u007f])/g // eslint-disable-line no-control-regex

/** A Content-Type the inbox reads: its normalised media type and its charset parameter, if any. */
export interface ActivityContentType {
  mediaType: string
  /** The charset parameter, lower-cased; undefined when absent or empty. */
  charset: string | undefined
}

/**
 * True when the request says it has a body (a Transfer-Encoding, or a numeric Content-Length,
 * 0 included), as Express's `req.is` decides it; a request without one is no activity.
 */
export function announcesBody (headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(headers['content-length']))
}

/** The header's media type and charset when it names one of ACTIVITY_MEDIA_TYPES, else null. */
export function activityContentType (header: string | undefined): ActivityContentType | null {
  if (header === undefined || header === '') return null
  const semicolon = header.indexOf(';')
  const mediaType = normalisedMediaType(semicolon === -1 ? header : header.slice(0, semicolon))
  if (mediaType === null || !ACTIVITY_MEDIA_TYPES.includes(mediaType)) return null
  if (semicolon === -1) return { mediaType, charset: undefined }
  const parameters = parseParameters(header, semicolon)
  if (parameters === null) return null
  return { mediaType, charset: parameters.get('charset')?.toLowerCase() || undefined }
}

/**
 * `type/subtype[+suffix]` lower-cased, or null when malformed. A subtype is split at its last
 * `+` and put back together, so `application/json+` (an empty suffix) reads as application/json,
 * as Express read it.
 */
function normalisedMediaType (text: string): string | null {
  const match = TYPE_AND_SUBTYPE.exec(text.toLowerCase())
  if (match === null) return null
  const [, type, full] = match
  const plus = full.lastIndexOf('+')
  const subtype = plus === -1 ? full : full.slice(0, plus)
  const suffix = plus === -1 ? '' : full.slice(plus + 1)
  if (!SUBTYPE_NAME.test(subtype)) return null
  if (suffix === '') return `${type}/${subtype}`
  return NAME.test(suffix) ? `${type}/${subtype}+${suffix}` : null
}

/** The parameters from `start` (a `;`) to the end, or null unless they cover it exactly. */
function parseParameters (header: string, start: number): Map<string, string> | null {
  const parameters = new Map<string, string>()
  let index = start
  while (index < header.length) {
    PARAMETER.lastIndex = index
    const match = PARAMETER.exec(header)
    if (match === null) return null
    index += match[0].length
    const value = match[2]
    parameters.set(match[1].toLowerCase(), value.startsWith('"') ? value.slice(1, -1).replace(QUOTED_PAIR, '$1') : value)
  }
  return parameters
}
