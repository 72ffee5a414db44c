import { EventEmitter } from 'events'
import type { Request, RequestHandler } from 'express'

/**
 * A stand-in response for running an Express middleware chain once more inside a request (the
 * shared inbox runs the personal inbox's chain once per recipient). It records the status and
 * whether the chain answered; `locals` is fresh, `close` is emitted by the runner when done.
 */
export class ChainResponse extends EventEmitter {
  statusCode = 200
  ended = false
  headersSent = false
  body: unknown
  private onEnd: (() => void) | null = null

  constructor (readonly locals: Record<string, unknown>, readonly app: unknown) { super() }

  status (code: number): this { this.statusCode = code; return this }
  set (): this { return this }
  setHeader (): this { return this }
  type (): this { return this }
  send (body?: unknown): this { this.body = body; return this.end() }
  json (body?: unknown): this { this.body = body; return this.end() }
  end (): this {
    if (!this.ended) {
      this.ended = true
      this.headersSent = true
      this.onEnd?.()
    }
    return this
  }

  /** Called when a middleware answers. */
  whenEnded (callback: () => void): void { this.onEnd = callback }
}

/** How a chain run ended: answered (with the status), passed on an error, or ran to its end. */
export type ChainOutcome = { kind: 'answered', status: number } | { kind: 'error', error: unknown } | { kind: 'completed' }

/**
 * Runs `chain` on `req` and `res` like Express would, one middleware after the other: each
 * `next()` calls the following middleware at once (no promise per step). The outcome is settled
 * by the first of: an error passed on (or thrown), an answer, or the end of the chain; `close` is
 * emitted then.
 */
export async function runChain (chain: RequestHandler[], req: Request, res: ChainResponse): Promise<ChainOutcome> {
  return await new Promise<ChainOutcome>(resolve => {
    let settled = false
    const finish = (outcome: ChainOutcome): void => {
      if (settled) return
      settled = true
      res.emit('close')
      resolve(outcome)
    }
    const answered = (): ChainOutcome => ({ kind: 'answered', status: res.statusCode })
    const run = (index: number): void => {
      const handler = chain[index]
      if (handler === undefined) return finish(res.ended ? answered() : { kind: 'completed' })
      // Each middleware moves the chain on once: by its first `next`, answer or throw.
      let moved = false
      const once = (): boolean => {
        if (moved || settled) return false
        moved = true
        return true
      }
      res.whenEnded(() => { if (once()) finish(answered()) })
      const next = (err?: unknown): void => {
        if (!once()) return
        if (err !== undefined) return finish({ kind: 'error', error: err === 'route' ? new Error('the chain skipped its route') : err })
        if (res.ended) return finish(answered())
        run(index + 1)
      }
      try {
        handler(req, res as never, next)
      } catch (error) {
        if (once()) finish({ kind: 'error', error })
      }
    }
    run(0)
  })
}
