import crypto from 'crypto'
import { verificationDigest, verifySignature } from '../../src/federation/signatures/draft-cavage'
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
