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

/** Runs `chain` on `req` and `res` like Express would, one middleware after the other. */
export async function runChain (chain: RequestHandler[], req: Request, res: ChainResponse): Promise<ChainOutcome> {
  try {
    for (const handler of chain) {
      const step = await new Promise<{ next: true } | { next: false } | { error: unknown }>(resolve => {
        res.whenEnded(() => resolve({ next: false }))
        try {
          handler(req, res as never, (err?: unknown) => {
            if (err === undefined) resolve({ next: true })
            else resolve({ error: err === 'route' ? new Error('the chain skipped its route') : err })
          })
        } catch (error) {
          resolve({ error })
        }
      })
      if ('error' in step) return { kind: 'error', error: step.error }
      if (!step.next || res.ended) return { kind: 'answered', status: res.statusCode }
    }
    return res.ended ? { kind: 'answered', status: res.statusCode } : { kind: 'completed' }
  } finally {
    res.emit('close')
  }
}
