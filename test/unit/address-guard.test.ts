import { checkUrl, guardedLookup, isNonPublicAddress } from '../../src/federation/http/address-guard'
import { ForbiddenAddressError } from '../../src/errors/app-errors'

describe('address guard', () => {
  it.each([
    '127.0.0.1', '10.1.2.3', '172.16.0.9', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1',
    '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '224.0.0.1'
  ])('treats %s as non-public', address => {
    expect(isNonPublicAddress(address)).toBe(true)
  })

  it.each(['93.184.216.34', '2606:4700:4700::1111', '1.1.1.1'])('treats %s as public', address => {
    expect(isNonPublicAddress(address)).toBe(false)
  })

  it('refuses literal private hosts and non-http schemes unless private addresses are allowed', () => {
    expect(() => checkUrl(new URL('http://127.0.0.1:8080/x'), false)).toThrow(ForbiddenAddressError)
    expect(() => checkUrl(new URL('http://[::1]/x'), false)).toThrow(/loopback or private/)
    expect(() => checkUrl(new URL('file:///etc/passwd'), true)).toThrow(/Only http and https/)
    expect(checkUrl(new URL('http://127.0.0.1:8080/x'), true)).toBeUndefined()
  })

  it('refuses a name that resolves to a loopback address, after resolution', async () => {
    const lookup = guardedLookup(false)
    const err = await new Promise<unknown>(resolve => lookup('localhost', {}, e => resolve(e)))
    expect(err).toBeInstanceOf(ForbiddenAddressError)
    expect((err as Error).message).toMatch(/^localhost is refused: .*loopback or private/)
    expect((err as Error).message).not.toMatch(/127\.0\.0\.1|::1/)
    const allowed = await new Promise<string>((resolve, reject) => guardedLookup(true)('localhost', {}, (e, address) => e ? reject(e) : resolve(String(address))))
    expect(['127.0.0.1', '::1']).toContain(allowed)
  })
})
