import crypto from 'crypto'
import { parseSignatureHeader, signingString, signRequest, verifySignature } from '../../src/federation/signatures/draft-cavage'
import { digestHeader, digestMatches } from '../../src/federation/signatures/digest'

const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
const rsaPublic = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string
const rsaPrivate = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
const ed = crypto.generateKeyPairSync('ed25519')
const edPublic = ed.publicKey.export({ type: 'spki', format: 'pem' }) as string
const edPrivate = ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string

describe('draft-cavage HTTP signatures', () => {
  const request = { method: 'POST', path: '/u/coop/inbox', headers: { host: 'hub.example', digest: digestHeader('{}'), date: 'Tue, 24 Nov 2026 10:00:00 GMT' } }

  it('parses the Signature header fields, defaulting headers to date', () => {
    expect(parseSignatureHeader('keyId="https://a.example/u#k",algorithm="hs2019",headers="(request-target) host date digest",signature="c2ln"')).toEqual({
      keyId: 'https://a.example/u#k', algorithm: 'hs2019', headers: ['(request-target)', 'host', 'date', 'digest'], signature: 'c2ln', created: null, expires: null
    })
    expect(parseSignatureHeader('keyId="k",signature="c2ln",created=1700000000')?.headers).toEqual(['date'])
    expect(parseSignatureHeader('keyId="k",signature="c2ln",created=1700000000')?.created).toBe(1700000000)
    expect(parseSignatureHeader('keyId="k"')).toBeNull()
    expect(parseSignatureHeader('garbage')).toBeNull()
  })

  it('builds the signing string in the listed order and notices missing headers', () => {
    expect(signingString(request, { headers: ['(request-target)', 'host', 'date'], created: null, expires: null }))
      .toBe('(request-target): post /u/coop/inbox\nhost: hub.example\ndate: Tue, 24 Nov 2026 10:00:00 GMT')
    expect(signingString(request, { headers: ['host', 'x-missing'], created: null, expires: null })).toBeNull()
  })

  it('signs what it verifies (RSA as rsa-sha256, Ed25519 as hs2019), with keyId as given', () => {
    for (const [priv, pub, algorithm] of [[rsaPrivate, rsaPublic, 'rsa-sha256'], [edPrivate, edPublic, 'hs2019']]) {
      const { signature } = signRequest(request, 'https://hub.example/u/coop#main-key', priv)
      const params = parseSignatureHeader(signature)!
      expect(params.keyId).toBe('https://hub.example/u/coop#main-key')
      expect(params.algorithm).toBe(algorithm)
      expect(params.headers).toEqual(['(request-target)', 'host', 'date', 'digest'])
      const text = signingString(request, params)!
      expect(verifySignature(text, params.signature, pub, params.algorithm)).toBe(true)
      expect(verifySignature(text + 'x', params.signature, pub, params.algorithm)).toBe(false)
    }
  })

  it('accepts hs2019 and rsa-sha256 labels for RSA keys and refuses others', () => {
    const text = 'date: x'
    const sig = crypto.sign('sha256', Buffer.from(text), rsaPrivate).toString('base64')
    expect(verifySignature(text, sig, rsaPublic, 'hs2019')).toBe(true)
    expect(verifySignature(text, sig, rsaPublic, 'rsa-sha256')).toBe(true)
    expect(verifySignature(text, sig, rsaPublic, 'hmac-sha256')).toBe(false)
    expect(verifySignature(text, sig, 'not a key', 'rsa-sha256')).toBe(false)
  })

  it('checks Digest against the exact bytes, SHA-256 required', () => {
    const body = Buffer.from('{"type":"Follow"}')
    expect(digestMatches(digestHeader(body), body)).toBe(true)
    expect(digestMatches(digestHeader(body), Buffer.from('{"type":"Follow" }'))).toBe(false)
    expect(digestMatches(`SHA-512=abc, ${digestHeader(body)}`, body)).toBe(true)
    expect(digestMatches('SHA-512=abc', body)).toBe(false)
    expect(digestMatches('SHA-256=short', body)).toBe(false)
  })
})
