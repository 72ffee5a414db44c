import crypto from 'crypto'
import { verificationDigest, verifySignature } from '../../src/federation/signatures/draft-cavage'
import { Rfc9421Signature, verifyRfc9421, verifyRfc9421OnPool } from '../../src/federation/signatures/rfc9421'
import { SignatureVerifierThread } from '../../src/federation/signatures/verifier-thread'

const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
const rsaPublic = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string
const otherRsaPublic = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string
const ed = crypto.generateKeyPairSync('ed25519')
const edPublic = ed.publicKey.export({ type: 'spki', format: 'pem' }) as string

interface Case { label: string, text: string, signature: string, pem: string, algorithm: string | null }

/** Signed texts, each with a check that verifies and several that must not. */
function cases (): Case[] {
  const out: Case[] = []
  for (let i = 0; i < 6; i++) {
    const text = `(request-target): post /u/coop/inbox\nhost: hub.example\ndate: request ${i}`
    const rsaSig = crypto.sign('sha256', Buffer.from(text), rsa.privateKey).toString('base64')
    const edSig = crypto.sign(null, Buffer.from(text), ed.privateKey).toString('base64')
    out.push(
      { label: `rsa ${i}`, text, signature: rsaSig, pem: rsaPublic, algorithm: 'rsa-sha256' },
      { label: `rsa ${i} as hs2019`, text, signature: rsaSig, pem: rsaPublic, algorithm: 'hs2019' },
      { label: `rsa ${i}, text changed`, text: text + 'x', signature: rsaSig, pem: rsaPublic, algorithm: 'rsa-sha256' },
      { label: `rsa ${i}, another key`, text, signature: rsaSig, pem: otherRsaPublic, algorithm: 'rsa-sha256' },
      { label: `rsa ${i}, algorithm that does not fit`, text, signature: rsaSig, pem: rsaPublic, algorithm: 'ed25519' },
      { label: `ed25519 ${i}`, text, signature: edSig, pem: edPublic, algorithm: 'hs2019' },
      { label: `ed25519 ${i}, signature of another text`, text: text + 'x', signature: edSig, pem: edPublic, algorithm: null },
      { label: `rsa ${i}, not base64`, text, signature: '%%%', pem: rsaPublic, algorithm: null },
      { label: `rsa ${i}, not a key`, text, signature: rsaSig, pem: 'not a key', algorithm: 'rsa-sha256' }
    )
  }
  return out
}

/** Every case asked of `verifier` in the same turn. */
async function askAll (verifier: SignatureVerifierThread, all: Case[]): Promise<boolean[]> {
  return await Promise.all(all.map(c => verifier.verify(c.text, c.signature, c.pem, c.algorithm)))
}

describe('signatures verified on a thread of their own', () => {
  const threads: SignatureVerifierThread[] = []
  afterEach(async () => { for (const t of threads.splice(0)) await t.stop() })
  const all = cases()
  const expected = all.map(c => verifySignature(c.text, c.signature, c.pem, c.algorithm))

  /** A thread already started: a first check sent to it and answered. */
  async function started (): Promise<SignatureVerifierThread> {
    const verifier = new SignatureVerifierThread()
    threads.push(verifier)
    expect(await verifier.verify(all[0].text, all[0].signature, all[0].pem, all[0].algorithm)).toBe(true)
    return verifier
  }

  it('answers as the verification on the event loop does, for checks asked in one turn and in several', async () => {
    expect(expected.filter(Boolean).length).toBe(18) // the three that verify, six times
    const verifier = await started()
    // All in one turn: one message to the thread, its answers matched to the checks in order.
    expect(await askAll(verifier, all)).toEqual(expected)
    // One turn after another: a message per turn.
    const apart: boolean[] = []
    for (const c of all) {
      await new Promise(resolve => setImmediate(resolve))
      apart.push(await verifier.verify(c.text, c.signature, c.pem, c.algorithm))
    }
    expect(apart).toEqual(expected)
  })

  it('refuses a key or algorithm that does not fit', async () => {
    const text = 'date: x'
    const sig = crypto.sign('sha256', Buffer.from(text), rsa.privateKey).toString('base64')
    expect(verificationDigest(rsaPublic, 'hmac-sha256')).toBeUndefined()
    expect(verificationDigest('not a key', null)).toBeUndefined()
    expect(verificationDigest(rsaPublic, null)).toBe('sha256')
    expect(verificationDigest(edPublic, 'hs2019')).toBeNull()
    expect(await (await started()).verify(text, sig, rsaPublic, 'hmac-sha256')).toBe(false)
  })

  it('answers the checks it was sent when the thread is stopped before it answered, and every check after, on the pool', async () => {
    const verifier = await started()
    // Stopped in the same turn as the checks are asked: they never reach the thread.
    const pending = askAll(verifier, all)
    await verifier.stop()
    expect(await pending).toEqual(expected)
    expect(await askAll(verifier, all)).toEqual(expected)
  })

  it('answers the checks in flight when the thread ends by itself', async () => {
    const verifier = await started()
    const pending = askAll(verifier, all)
    // The checks go to the thread at the end of this turn; the thread ends before it answers.
    await new Promise(resolve => setImmediate(resolve))
    const worker = (verifier as unknown as { worker: { terminate: () => Promise<number> } }).worker
    await worker.terminate()
    expect(await pending).toEqual(expected)
  })
})

interface Rfc9421Case { label: string, sig: Rfc9421Signature, pem: string }

/** A parsed RFC 9421 signature over `base`, made with `sign`, carrying `alg` (null: the key decides). */
function rfc9421 (base: string, alg: string | null, signature: Buffer): Rfc9421Signature {
  return { label: 'sig1', keyId: 'https://peer.example/actor#main-key', alg, created: 1_700_000_000, expires: null, components: ['@method', '@target-uri', 'content-digest'], base, signature }
}

/** RFC 9421 signatures of each algorithm, each with checks that verify and several that must not. */
function rfc9421Cases (): Rfc9421Case[] {
  const out: Rfc9421Case[] = []
  const pss = { key: rsa.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }
  for (let i = 0; i < 4; i++) {
    const base = `"@method": POST\n"@target-uri": https://hub.example/u/coop/inbox\n"content-digest": sha-256=:${i}:\n"@signature-params": ("@method" "@target-uri" "content-digest");created=1700000000`
    const v15 = crypto.sign('sha256', Buffer.from(base), rsa.privateKey)
    const pssSig = crypto.sign('sha512', Buffer.from(base), pss)
    const edSig = crypto.sign(null, Buffer.from(base), ed.privateKey)
    out.push(
      { label: `rsa-v1_5-sha256 ${i}`, sig: rfc9421(base, 'rsa-v1_5-sha256', v15), pem: rsaPublic },
      { label: `rsa ${i}, no alg`, sig: rfc9421(base, null, v15), pem: rsaPublic },
      { label: `rsa-pss-sha512 ${i}`, sig: rfc9421(base, 'rsa-pss-sha512', pssSig), pem: rsaPublic },
      { label: `ed25519 ${i}`, sig: rfc9421(base, 'ed25519', edSig), pem: edPublic },
      { label: `ed25519 ${i}, no alg`, sig: rfc9421(base, null, edSig), pem: edPublic },
      { label: `rsa-pss-sha512 ${i}, checked as PKCS #1 v1.5`, sig: rfc9421(base, 'rsa-v1_5-sha256', pssSig), pem: rsaPublic },
      { label: `rsa-v1_5-sha256 ${i}, checked as PSS`, sig: rfc9421(base, 'rsa-pss-sha512', v15), pem: rsaPublic },
      { label: `rsa-pss-sha512 ${i}, base changed`, sig: rfc9421(base + 'x', 'rsa-pss-sha512', pssSig), pem: rsaPublic },
      { label: `rsa-v1_5-sha256 ${i}, another key`, sig: rfc9421(base, 'rsa-v1_5-sha256', v15), pem: otherRsaPublic },
      { label: `ed25519 ${i}, alg of an RSA key`, sig: rfc9421(base, 'rsa-v1_5-sha256', edSig), pem: edPublic },
      { label: `rsa ${i}, alg of an Ed25519 key`, sig: rfc9421(base, 'ed25519', v15), pem: rsaPublic },
      { label: `rsa ${i}, not a key`, sig: rfc9421(base, null, v15), pem: 'not a key' }
    )
  }
  return out
}

describe('RFC 9421 signatures verified on the same thread', () => {
  const threads: SignatureVerifierThread[] = []
  afterEach(async () => { for (const t of threads.splice(0)) await t.stop() })
  const all = rfc9421Cases()
  const expected = all.map(c => verifyRfc9421(c.sig, c.pem))
  const askAll = async (verifier: SignatureVerifierThread): Promise<boolean[]> => await Promise.all(all.map(c => verifier.verifyRfc9421(c.sig, c.pem)))

  it('answers as the verification on the event loop does, each algorithm, in one turn and in several', async () => {
    expect(expected.filter(Boolean).length).toBe(20) // the five that verify, four times
    expect(all.filter((c, i) => expected[i]).map(c => c.label.replace(/ \d+/, '')).slice(0, 5)).toEqual(['rsa-v1_5-sha256', 'rsa, no alg', 'rsa-pss-sha512', 'ed25519', 'ed25519, no alg'])
    const verifier = new SignatureVerifierThread()
    threads.push(verifier)
    expect(await askAll(verifier)).toEqual(expected)
    const apart: boolean[] = []
    for (const c of all) {
      await new Promise(resolve => setImmediate(resolve))
      apart.push(await verifier.verifyRfc9421(c.sig, c.pem))
    }
    expect(apart).toEqual(expected)
  })

  it('answers on libuv\'s pool as on the loop', async () => {
    expect(await Promise.all(all.map(c => verifyRfc9421OnPool(c.sig, c.pem)))).toEqual(expected)
  })

  it('answers the checks of both schemes, mixed in one turn, and after the thread is stopped', async () => {
    const verifier = new SignatureVerifierThread()
    threads.push(verifier)
    const cavage = cases()
    const cavageExpected = cavage.map(c => verifySignature(c.text, c.signature, c.pem, c.algorithm))
    const mixed = async (): Promise<[boolean[], boolean[]]> => await Promise.all([
      askAll(verifier),
      Promise.all(cavage.map(c => verifier.verify(c.text, c.signature, c.pem, c.algorithm)))
    ])
    expect(await mixed()).toEqual([expected, cavageExpected])
    const pending = mixed()
    await verifier.stop()
    expect(await pending).toEqual([expected, cavageExpected])
    expect(await askAll(verifier)).toEqual(expected)
  })
})
