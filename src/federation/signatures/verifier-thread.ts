import { Worker } from 'node:worker_threads'
import { verificationDigest } from './draft-cavage'
import { publicKeyObject } from './key-objects'
import { VerificationScheme, verifyWithSchemeOnPool } from './public-key-check'
import { Rfc9421Check, rfc9421Scheme } from './rfc9421'

/** Checks a draft-cavage signature over `text` with a PEM public key; false when it does not verify. */
export type SignatureCheck = (text: string, signatureBase64: string, publicKeyPem: string, algorithm: string | null) => Promise<boolean>

/** How many parsed keys the thread keeps, as `key-objects.ts` does on the event loop. */
const MAX_KEYS = 2000

/** One check as the thread takes it: strings and a flag only, which cost little to send to a thread. */
type Check = [digest: VerificationScheme['digest'], pss: 0 | 1, text: string, publicKeyPem: string, signatureBase64: string]

/** The checks sent in one message, with what settles each one's promise. */
interface Batch {
  checks: Check[]
  settle: Array<(verified: boolean) => void>
}

// Runs in the worker: each message is a list of checks, each answer a byte per check (1: verified).
// Written as source so it runs the same from dist/ and under ts-jest. RSA-PSS as in
// public-key-check.ts (RFC 9421's rsa-pss-sha512: a salt of 64 bytes).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const crypto = require('node:crypto')
const keys = new Map()
const keyFor = pem => {
  let key = keys.get(pem)
  if (key === undefined) {
    key = crypto.createPublicKey(pem)
    keys.set(pem, key)
    if (keys.size > workerData.maxKeys) keys.delete(keys.keys().next().value)
  }
  return key
}
parentPort.on('message', checks => {
  const answers = new Uint8Array(checks.length)
  for (let i = 0; i < checks.length; i++) {
    const [digest, pss, text, pem, signature] = checks[i]
    try {
      const key = keyFor(pem)
      const verifyKey = pss === 1 ? { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 } : key
      answers[i] = crypto.verify(digest, Buffer.from(text), verifyKey, Buffer.from(signature, 'base64')) ? 1 : 0
    } catch {
      answers[i] = 0
    }
  }
  parentPort.postMessage(answers)
})
`

/**
 * Verifies the inbox's signatures (draft-cavage and RFC 9421) on a worker thread of its own, the
 * checks asked for during one turn of the event loop sent to it as one message and answered as
 * one. Each check handed to
 * libuv's thread pool (`verifySignatureAsync`) woke a pool thread of its own, and under inbound
 * load those wake-ups cost the event loop, the inbox's limit, more than the verifications it
 * handed off (docs/performance.md, "Signatures verified on a thread of their own"). The thread
 * starts with the first check; should it ever end, what it had not answered and every check after
 * is verified on libuv's pool instead, with the same answers.
 */
export class SignatureVerifierThread {
  private worker: Worker | null = null
  /** Set once the thread ended or was stopped: checks then go to libuv's pool. */
  private ended = false
  private queued: Batch = { checks: [], settle: [] }
  /** Sent and not answered yet, oldest first: the thread answers in the order it was sent. */
  private readonly sent: Batch[] = []
  private sendScheduled = false

  /** `SignatureCheck` (draft-cavage) on the thread; a key or algorithm that does not fit answers false at once. */
  readonly verify: SignatureCheck = (text, signatureBase64, publicKeyPem, algorithm) => {
    const digest = verificationDigest(publicKeyPem, algorithm)
    if (digest === undefined) return Promise.resolve(false)
    return this.check([digest, 0, text, publicKeyPem, signatureBase64])
  }

  /** `Rfc9421Check` on the thread; a key or algorithm that does not fit answers false at once. */
  readonly verifyRfc9421: Rfc9421Check = (sig, publicKeyPem) => {
    const fit = rfc9421Scheme(sig, publicKeyPem)
    if (fit === undefined) return Promise.resolve(false)
    return this.check([fit.scheme.digest, fit.scheme.pss ? 1 : 0, sig.base, publicKeyPem, sig.signature.toString('base64')])
  }

  /** Queues a check for the message sent at this turn's end (or, once the thread ended, verifies it on the pool). */
  private check (check: Check): Promise<boolean> {
    if (this.ended) return verifyOnPool(check)
    return new Promise<boolean>(resolve => {
      this.queued.checks.push(check)
      this.queued.settle.push(resolve)
      if (!this.sendScheduled) {
        this.sendScheduled = true
        setImmediate(this.send)
      }
    })
  }

  /** Ends the thread; checks not answered yet, and every later one, are verified on libuv's pool. */
  async stop (): Promise<void> {
    const worker = this.worker
    this.end()
    if (worker !== null) await worker.terminate()
  }

  private readonly send = (): void => {
    this.sendScheduled = false
    const batch = this.queued
    if (batch.checks.length === 0) return
    // Never after `end`: it hands what was queued to the pool, and checks after it go there directly.
    this.queued = { checks: [], settle: [] }
    const worker = this.worker ?? this.start()
    // Held open only while it owes answers: an idle thread never keeps the process alive.
    if (this.sent.length === 0) worker.ref()
    this.sent.push(batch)
    worker.postMessage(batch.checks)
  }

  private start (): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { maxKeys: MAX_KEYS } })
    worker.on('message', (answers: Uint8Array) => {
      const batch = this.sent.shift()
      if (batch === undefined) return
      for (let i = 0; i < batch.settle.length; i++) batch.settle[i](answers[i] === 1)
      if (this.sent.length === 0) worker.unref()
    })
    // A thread that failed or exited answers nothing more: its checks go to the pool.
    worker.on('error', () => this.end())
    worker.on('exit', () => this.end())
    worker.unref()
    this.worker = worker
    return worker
  }

  private end (): void {
    if (this.ended) return
    this.ended = true
    this.worker = null
    for (const batch of this.sent.splice(0)) settleOnPool(batch)
    const queued = this.queued
    this.queued = { checks: [], settle: [] }
    settleOnPool(queued)
  }
}

/** Answers every check of a batch on libuv's pool; a check that fails there answers false, as on the thread. */
function settleOnPool (batch: Batch): void {
  batch.checks.forEach((check, i) => { verifyOnPool(check).then(batch.settle[i], () => batch.settle[i](false)) })
}

/** One check on libuv's pool, with the scheme chosen when it was made. */
function verifyOnPool ([digest, pss, text, publicKeyPem, signatureBase64]: Check): Promise<boolean> {
  const key = publicKeyObject(publicKeyPem)
  if (key === undefined) return Promise.resolve(false)
  return verifyWithSchemeOnPool({ digest, pss: pss === 1 }, text, key, Buffer.from(signatureBase64, 'base64'))
}
