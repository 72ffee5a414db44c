import { originOf } from '../../src/domain/activity-streams/nodes'
import { hostOf } from '../../src/domain/domain-block'
import { canonicalAuthority } from '../../src/domain/activity-streams/canonical-authority'

/** The parser's answers, which the string fast path must give back exactly. */
function parsedOrigin (iri: string): string | null {
  try {
    const url = new URL(iri)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null
  } catch {
    return null
  }
}

function parsedHost (iri: string): string | null {
  try {
    return new URL(iri).host.toLowerCase() || null
  } catch {
    return null
  }
}

const TRICKY = [
  'https://example.com/users/a', 'http://127.0.0.1:45678/u/coop', 'https://a.example:8443/x?y#z', 'https://a.example',
  'https://a.example?q', 'https://a.example#f', 'https://Example.com/a', 'HTTPS://example.com/', 'https://example.com:443/a',
  'http://example.com:80/a', 'https://example.com:0443/a', 'https://example.com:/a', 'https://example.com:65536/a',
  'https://example.com:65535/a', 'https://user@example.com/a', 'https://user:pw@example.com/', 'https://ex%41mple.com/',
  'https://127.1/', 'https://127.0.0.01/', 'https://0x7f.0.0.1/', 'https://1.2.3.4.5/', 'https://256.0.0.1/', 'https://1.2.3/',
  'https://example.123/', 'https://example.0x10/', 'https://123.example/', 'https://a..b/', 'https://.a/', 'https://a./',
  'https://xn--bcher-kva.example/', 'https://xn--a.example/', 'https://bücher.example/', 'https://[::1]:8080/a', 'https://[::1]/',
  'https:///example.com', 'https:example.com', 'https://', 'https:// example.com/', 'https://exa\tmple.com/', 'https://exa mple.com/',
  'https://example.com\\evil.com/', 'https://example.com\\', 'https://a-.example/', 'https://-a.example/', 'https://a_b.example/',
  'http://localhost:8080', 'http://localhost:080/', 'https://example.com:1:2/', 'ftp://example.com/', 'mailto:a@example.com',
  'https://example.com/\u{1F600}', 'https://example.com/a b', 'https://example.com/%zz', 'https://0.0.0.0/', 'https://255.255.255.255:1/',
  'https://example.com./', 'urn:uuid:1', '', 'https://a:b', 'https://example.com:8080?x', 'https://9/', 'http://1.2.3.4'
]

/** A deterministic stream of IRIs put together from the parts of an authority, the odd ones among them. */
function* generated (count: number): Generator<string> {
  const schemes = ['https://', 'http://', 'https://', 'http://', 'HTTP://', 'https:/', 'ftp://', '']
  const labels = ['a', 'example', 'b-c', '-d', 'e_f', '0', '1', '25', '255', '256', '01', '0x1f', 'xn--a', 'é', 'A', '', '9z']
  const ports = [null, null, null, '', '0', '1', '80', '443', '080', '8080', '65535', '65536', '99999', 'a']
  const prefixes = ['', '', '', '', 'u@', 'u:p@', ' ', '%41']
  const tails = ['', '/', '/a/b', '?q', '#f', '\\x', ' ', '\t/', '/%zz', ':1/']
  let seed = 7
  const pick = <T>(list: readonly T[]): T => { seed = (seed * 1103515245 + 12345) % 2147483648; return list[seed % list.length] }
  for (let i = 0; i < count; i++) {
    const host = Array.from({ length: 1 + (i % 4) }, () => pick(labels)).join('.')
    const port = pick(ports)
    yield `${pick(schemes)}${pick(prefixes)}${host}${port === null ? '' : `:${port}`}${pick(tails)}`
  }
}

describe('origins and hosts read from the string', () => {
  it('answers exactly as the URL parser does, for tricky and generated IRIs', () => {
    const mismatches: string[] = []
    let readFromString = 0
    for (const iri of [...TRICKY, ...generated(50_000)]) {
      if (canonicalAuthority(iri) !== null) readFromString += 1
      if (originOf(iri) !== parsedOrigin(iri)) mismatches.push(`origin of ${JSON.stringify(iri)}`)
      if (hostOf(iri) !== parsedHost(iri)) mismatches.push(`host of ${JSON.stringify(iri)}`)
    }
    expect(mismatches).toEqual([])
    // The comparison covers the fast path, not only the fallback.
    expect(readFromString).toBeGreaterThan(3_000)
  })

  it('reads the usual IRIs without the parser, and leaves the unusual ones to it', () => {
    expect(canonicalAuthority('https://example.com/users/a')).toEqual({ start: 8, end: 19 })
    expect(canonicalAuthority('http://127.0.0.1:45678/u/coop')).toEqual({ start: 7, end: 22 })
    for (const unusual of ['https://Example.com/', 'https://example.com:443/', 'https://127.1/', 'https://xn--a.example/', 'https://a.example./', 'https://u@a.example/']) {
      expect([unusual, canonicalAuthority(unusual)]).toEqual([unusual, null])
    }
  })
})
