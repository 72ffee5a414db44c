import crypto from 'crypto'
import { loadConfig } from '../../src/config/config'
import { blockCandidates, blockCovers, normaliseBlockedDomain } from '../../src/domain/domain-block'
import { RateLimiter } from '../../src/federation/abuse/rate-limiter'
import { multikeyToPem } from '../../src/federation/actors/multikey'
import { CIRCUIT_BASE_OPEN_MS, CIRCUIT_THRESHOLD, CircuitBreaker, countsAsHostFailure } from '../../src/federation/delivery/circuit-breaker'
import { decideRetry } from '../../src/federation/delivery/retry-policy'
import { guardedLookup, isRefusedAddress } from '../../src/federation/http/address-guard'
import { contentDigestProblem } from '../../src/federation/signatures/content-digest'
import { ed25519KeyPair } from '../helpers/rfc9421-signer'

/** The pure parts of the federation safety work, with an injected clock where time matters. */
describe('federation safety building blocks', () => {
  describe('rate limiter', () => {
    it('lets a host send its budget at once, then answers how long to wait, and refills over time', () => {
      let now = 0
      const limiter = new RateLimiter(6, () => now)
      for (let i = 0; i < 6; i++) expect(limiter.take('a.example')).toEqual({ allowed: true })
      expect(limiter.take('a.example')).toEqual({ allowed: false, retryAfterSeconds: 10 })
      // Another host has its own budget.
      expect(limiter.take('b.example')).toEqual({ allowed: true })
      now += 10_000
      expect(limiter.take('a.example')).toEqual({ allowed: true })
      expect(limiter.take('a.example')).toMatchObject({ allowed: false })
    })
  })

  describe('circuit breaker', () => {
    it('opens after the threshold, lets one trial through when it half-opens, and doubles the wait after a failed trial', () => {
      let now = 1_000_000
      const breaker = new CircuitBreaker(() => now)
      for (let i = 0; i < CIRCUIT_THRESHOLD - 1; i++) breaker.failed('down.example')
      expect(breaker.check('down.example')).toEqual({ allowed: true })
      breaker.failed('down.example')
      expect(breaker.check('down.example')).toEqual({ allowed: false, until: new Date(now + CIRCUIT_BASE_OPEN_MS) })
      expect(breaker.check('up.example')).toEqual({ allowed: true })
      expect(breaker.states()).toEqual([{ host: 'down.example', state: 'open', consecutiveFailures: CIRCUIT_THRESHOLD, openUntil: new Date(now + CIRCUIT_BASE_OPEN_MS).toISOString() }])

      now += CIRCUIT_BASE_OPEN_MS
      expect(breaker.check('down.example')).toEqual({ allowed: true }) // the trial
      expect(breaker.check('down.example')).toMatchObject({ allowed: false }) // only one at a time
      breaker.failed('down.example')
      expect(breaker.check('down.example')).toEqual({ allowed: false, until: new Date(now + 2 * CIRCUIT_BASE_OPEN_MS) })

      now += 2 * CIRCUIT_BASE_OPEN_MS
      expect(breaker.check('down.example')).toEqual({ allowed: true })
      breaker.succeeded('down.example')
      expect(breaker.check('down.example')).toEqual({ allowed: true })
      expect(breaker.states()).toEqual([])
    })

    it('counts network errors, timeouts, 5xx and 429 against a host, not other answers', () => {
      expect([null, 500, 503, 429, 408].map(countsAsHostFailure)).toEqual([true, true, true, true, true])
      expect([200, 202, 400, 401, 404, 410].map(countsAsHostFailure)).toEqual([false, false, false, false, false, false])
    })
  })

  describe('retry policy', () => {
    it('ends a delivery at once on 404 and 410 and marks the inbox gone', () => {
      expect(decideRetry(0, 404, null)).toEqual({ retry: false, reason: 'the inbox is gone (404)', gone: true })
      expect(decideRetry(3, 410, null)).toEqual({ retry: false, reason: 'the inbox is gone (410)', gone: true })
      expect(decideRetry(0, 503, 2000)).toEqual({ retry: true, waitMs: 2000 })
    })
  })

  describe('domain blocks', () => {
    it('normalises what an admin types and refuses what is not a domain', () => {
      expect(normaliseBlockedDomain(' Spam.Example. ')).toEqual({ domain: 'spam.example' })
      expect(normaliseBlockedDomain('https://spam.example:8443/users/x')).toEqual({ domain: 'spam.example:8443' })
      expect(normaliseBlockedDomain('bücher.example')).toEqual({ domain: 'xn--bcher-kva.example' })
      expect(normaliseBlockedDomain('[2001:DB8::1]:443')).toEqual({ domain: '[2001:db8::1]:443' })
      for (const bad of ['', 'spam.example/path', '*.spam.example', 'user@spam.example', 'spam..example', 'spam.example:99999', 'a b']) {
        expect(normaliseBlockedDomain(bad)).toHaveProperty('problem')
      }
    })

    it('covers a host, its subdomains and, for host:port entries, only that origin', () => {
      expect(blockCandidates('A.b.spam.example:8443')).toEqual(['a.b.spam.example:8443', 'a.b.spam.example', 'b.spam.example', 'spam.example', 'example'])
      expect(blockCandidates('127.0.0.1:4000')).toEqual(['127.0.0.1:4000', '127.0.0.1'])
      expect(blockCovers('spam.example', 'social.spam.example')).toBe(true)
      expect(blockCovers('spam.example', 'notspam.example')).toBe(false)
      expect(blockCovers('127.0.0.1:4000', '127.0.0.1:4001')).toBe(false)
    })
  })

  describe('private addresses', () => {
    it('refuses loopback, private, link-local and unique-local addresses unless allowed, one by one or all', () => {
      const nonPublic = ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', 'fe80::1', '0.0.0.0', '::ffff:127.0.0.1']
      expect(nonPublic.filter(a => !isRefusedAddress(a, false))).toEqual([])
      expect(nonPublic.filter(a => isRefusedAddress(a, true))).toEqual([])
      expect(nonPublic.filter(a => !isRefusedAddress(a, ['127.0.0.1/32', '10.0.0.0/8']))).toEqual(['127.0.0.1', '10.1.2.3', '::ffff:127.0.0.1'])
      expect(isRefusedAddress('93.184.215.14', false)).toBe(false)
    })

    it('checks the addresses a name resolves to (after DNS), not the name, and never says which address it was', async () => {
      const error = await new Promise<Error | null>(resolve => guardedLookup(false)('localhost', {}, err => resolve(err)))
      expect(error?.message).toMatch(/^localhost is refused: .*loopback or private.*HUB_ALLOW_PRIVATE_ADDRESSES/)
      expect(error?.message).not.toMatch(/127\.0\.0\.1|::1|resolves to/)
    })

    it('reads HUB_ALLOW_PRIVATE_ADDRESSES as 1, 0 or a list, and HUB_INBOX_RATE_LIMIT, naming the variable on errors', () => {
      expect(loadConfig({ HUB_ALLOW_PRIVATE_ADDRESSES: '1' }).allowPrivateAddresses).toBe(true)
      expect(loadConfig({ HUB_ALLOW_PRIVATE_ADDRESSES: '0' }).allowPrivateAddresses).toBe(false)
      // One parsed value: the list itself, never `false` beside a separate list.
      expect(loadConfig({ HUB_ALLOW_PRIVATE_ADDRESSES: '10.0.0.0/8, 192.168.1.20' }).allowPrivateAddresses).toEqual(['10.0.0.0/8', '192.168.1.20'])
      expect(loadConfig({}).inboxRateLimitPerMinute).toBe(600)
      expect(loadConfig({ HUB_INBOX_RATE_LIMIT: '30' }).inboxRateLimitPerMinute).toBe(30)
      expect(() => loadConfig({ HUB_ALLOW_PRIVATE_ADDRESSES: '10.0.0.0/99' })).toThrow(/HUB_ALLOW_PRIVATE_ADDRESSES/)
      expect(() => loadConfig({ HUB_INBOX_RATE_LIMIT: 'lots' })).toThrow(/HUB_INBOX_RATE_LIMIT/)
    })
  })

  describe('Content-Digest (RFC 9530)', () => {
    const body = Buffer.from('{"type":"Follow"}')
    const b64 = (alg: string, data: Buffer): string => crypto.createHash(alg).update(data).digest('base64')
    it('accepts sha-256 and sha-512 that match, and refuses anything else with a reason', () => {
      expect(contentDigestProblem(`sha-256=:${b64('sha256', body)}:`, body)).toBeNull()
      expect(contentDigestProblem(`sha-512=:${b64('sha512', body)}:, md5=:AAAA:`, body)).toBeNull()
      expect(contentDigestProblem(`sha-256=:${b64('sha256', Buffer.from('other'))}:`, body)).toMatch(/does not match/)
      expect(contentDigestProblem(`sha-256=:${b64('sha256', body)}:, sha-512=:${b64('sha512', Buffer.from('x'))}:`, body)).toMatch(/sha-512 does not match/)
      expect(contentDigestProblem('md5=:AAAA:', body)).toMatch(/neither sha-256 nor sha-512/)
      expect(contentDigestProblem('sha-256="not bytes"', body)).toMatch(/not a byte sequence/)
      expect(contentDigestProblem('((', body)).toMatch(/not a structured dictionary/)
    })
  })

  describe('FEP-521a Multikey', () => {
    it('turns an Ed25519 publicKeyMultibase into the same key as PEM, and refuses what is not one', () => {
      const pair = ed25519KeyPair()
      expect(multikeyToPem(pair.multibase)).toBe(pair.publicKeyPem)
      expect(multikeyToPem('z' + pair.multibase.slice(2))).toBeNull()
      expect(multikeyToPem('u' + pair.multibase.slice(1))).toBeNull()
      expect(multikeyToPem('z0OIl')).toBeNull()
    })
  })
})
