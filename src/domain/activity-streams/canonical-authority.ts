/**
 * The origin and host of an http(s) IRI read from the string itself when it is already in the
 * form the WHATWG URL parser would give back, so the inbox need not build a `URL` object for each
 * of the ten or so IRIs it checks per activity (docs/performance.md, "Origins read from the
 * string"). Anything unusual — upper case, a user name, a percent sign, a default or
 * zero-padded port, an IPv4 address in any but its dotted-decimal form, punycode, a trailing dot —
 * is left to the parser: the callers fall back to `new URL`, so the answers are the parser's.
 */

const HTTPS = 'https://'
const HTTP = 'http://'

/**
 * Where the authority of `iri` ends when `iri` is `http://` or `https://` followed by an authority
 * the URL parser would keep unchanged (see above), with the length of its scheme and `://`;
 * null otherwise.
 */
export function canonicalAuthority (iri: string): { start: number, end: number } | null {
  const start = iri.startsWith(HTTPS) ? HTTPS.length : iri.startsWith(HTTP) ? HTTP.length : -1
  if (start < 0) return null
  let end = start
  let colon = -1
  for (; end < iri.length; end++) {
    const c = iri.charCodeAt(end)
    if (c === 0x2f || c === 0x3f || c === 0x23) break // '/', '?', '#'
    if (c === 0x3a) { // ':'
      if (colon >= 0) return null
      colon = end
    } else if (!isHostCode(c) && !(colon >= 0 && isDigit(c))) {
      return null
    }
  }
  const hostEnd = colon >= 0 ? colon : end
  if (!canonicalHost(iri, start, hostEnd)) return null
  if (colon >= 0 && !canonicalPort(iri, colon + 1, end, start === HTTPS.length ? 443 : 80)) return null
  return { start, end }
}

/** `a`–`z`, `0`–`9`, `-` and `.`: what a canonical registered name or dotted-quad address is made of. */
function isHostCode (c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || isDigit(c) || c === 0x2d || c === 0x2e
}

function isDigit (c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/** A host of lower-case labels, none empty, none punycode, whose last label is no number — or a dotted quad as written by the parser. */
function canonicalHost (iri: string, start: number, end: number): boolean {
  let labels = 0
  let labelStart = start
  for (let i = start; i <= end; i++) {
    if (i < end && iri.charCodeAt(i) !== 0x2e) continue
    if (i === labelStart || iri.startsWith('xn--', labelStart)) return false
    labels += 1
    if (i === end) break
    labelStart = i + 1
  }
  // A last label beginning with a digit may make the parser read the host as an IPv4 address.
  if (!isDigit(iri.charCodeAt(labelStart))) return true
  return labels === 4 && dottedQuad(iri, start, end)
}

/** Four parts of `0`–`255` without leading zeros: an IPv4 address as the parser writes it. */
function dottedQuad (iri: string, start: number, end: number): boolean {
  let value = 0
  let digits = 0
  for (let i = start; i <= end; i++) {
    const c = i < end ? iri.charCodeAt(i) : 0x2e
    if (c === 0x2e) {
      if (digits === 0) return false
      value = 0
      digits = 0
      continue
    }
    if (!isDigit(c) || (digits > 0 && value === 0)) return false
    value = value * 10 + (c - 0x30)
    digits += 1
    if (value > 255) return false
  }
  return true
}

/** A port the parser keeps as written: digits without a leading zero, in range, not the scheme's default. */
function canonicalPort (iri: string, start: number, end: number, defaultPort: number): boolean {
  if (end <= start || end - start > 5 || iri.charCodeAt(start) === 0x30) return false
  let value = 0
  for (let i = start; i < end; i++) {
    const c = iri.charCodeAt(i)
    if (!isDigit(c)) return false
    value = value * 10 + (c - 0x30)
  }
  return value <= 65535 && value !== defaultPort
}
