import { TextDecoder } from 'node:util'
import { MalformedBodyError, UnsupportedMediaTypeError } from '../../errors/app-errors'

/**
 * Turning a JSON body's bytes into a value: the charset (UTF only, RFC 8259) and the strict
 * reading of JSON the inbox has always applied (a document starts with `{` or `[`).
 */

/**
 * The names of a UTF charset that a JSON body may declare (compared without punctuation or
 * case, e.g. `utf-8`, `UTF_16LE`). Any other is refused before the body is read; of these, the
 * ones the text decoder does not read (UTF-7) are refused once it is.
 */
const UTF_CHARSET_NAMES = new Set(['utf8', 'utf16', 'utf16le', 'utf16be', 'utf7', 'utf7imap'])

/** Whether a body in `charset` (lower-cased) may be read at all; the others are refused 415 at once. */
export function isReadableCharset (charset: string): boolean {
  return charset.startsWith('utf-') && UTF_CHARSET_NAMES.has(charset.replace(/:\d{4}$|[^0-9a-z]/g, ''))
}

/** The refusal of a charset that is not a UTF one. */
export function unsupportedCharset (charset: string): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(`unsupported charset "${charset.toUpperCase()}"`)
}

/**
 * The body as text in `charset`, without a byte order mark. Plain `utf-16` is read big- or
 * little-endian by its byte order mark, else by where the zero bytes of ASCII text fall.
 */
export function decodeBody (body: Buffer, charset: string): string {
  if (charset === 'utf-8') {
    const text = body.toString('utf8')
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  }
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(charset)
  } catch {
    throw new UnsupportedMediaTypeError(`The charset ${charset} is not supported; send UTF-8`)
  }
  if (decoder.encoding === 'utf-16le' && charset.trim() === 'utf-16' && looksBigEndian(body)) decoder = new TextDecoder('utf-16be')
  return decoder.decode(body)
}

/** A UTF-16 byte order mark FE FF, or, without one, more zero high bytes first than second. */
function looksBigEndian (body: Buffer): boolean {
  if (body.length < 2) return false
  if (body[0] === 0xfe && body[1] === 0xff) return true
  if (body[0] === 0xff && body[1] === 0xfe) return false
  let bigEndian = 0
  let littleEndian = 0
  const end = Math.min(body.length - (body.length % 2), 64)
  for (let i = 0; i < end; i += 2) {
    if (body[i] === 0 && body[i + 1] !== 0) bigEndian++
    if (body[i] !== 0 && body[i + 1] === 0) littleEndian++
  }
  return bigEndian > littleEndian
}

const JSON_WHITESPACE = /^[\x20\x09\x0a\x0d]*/ // eslint-disable-line no-control-regex

/**
 * The JSON value of `text`: an empty body reads as `{}` (what the hub has always done, so the
 * steps after it answer), a document that does not start with `{` or `[` is refused, and so is
 * any text JSON.parse refuses; both say where the JSON went wrong.
 */
export function parseStrictJson (text: string): unknown {
  if (text.length === 0) return {}
  const start = JSON_WHITESPACE.exec(text)?.[0].length ?? 0
  const first = text[start]
  if (first !== '{' && first !== '[') throw notJson(strictViolation(text, start))
  try {
    return JSON.parse(text)
  } catch (err) {
    throw notJson((err as Error).message)
  }
}

function notJson (reason: string): MalformedBodyError {
  return new MalformedBodyError(`The body is not valid JSON: ${reason}`)
}

/**
 * JSON.parse's own words for a document that starts with something other than an object or an
 * array, quoting the real text: the text from the first non-blank character on is masked (so
 * that a scalar such as `"string"` fails where it starts) and the mask put back in the message.
 */
function strictViolation (text: string, start: number): string {
  const masked = start < text.length ? text.slice(0, start) + '#'.repeat(text.length - start) : ''
  try {
    JSON.parse(masked)
    return 'a JSON document must start with { or ['
  } catch (err) {
    return (err as Error).message.replace(/#+/g, run => text.substring(start, start + run.length))
  }
}
