import { EventEmitter } from 'events'
import type { Request, RequestHandler, Response } from 'express'

/**
 * One step of the inbox path. It reads the request (its parsed body) and `res.locals.apex`, fills
 * them in, and then either returns (the next step runs), throws or rejects (the request is refused
 * with that error), or answers (`res.status(…).end()`: no step after it runs). A step with nothing
 * to wait for returns nothing, so no promise is made for it.
 */
export type InboxStep = (req: Request, res: Response) => void | Promise<void>

/** How a run of steps ended: with an error, with an answer, or with every step run and no answer. */
export type StepsDone = (error: unknown, answered: boolean) => void

/**
 * Runs `steps` in order on one request: each after the one before returned (or its promise
 * resolved), none after one that answered or failed. A failure after the answer went out changes
 * nothing: the answer stands. `done` is called once.
 */
export function runSteps (steps: readonly InboxStep[], req: Request, res: Response, done: StepsDone, from = 0): void {
  for (let i = from; i < steps.length; i++) {
    let pending: void | Promise<void>
    try {
      pending = steps[i](req, res)
    } catch (error) {
      return done(res.headersSent ? undefined : error, res.headersSent)
    }
    if (pending !== undefined) {
      pending.then(
        () => { if (res.headersSent) done(undefined, true); else runSteps(steps, req, res, done, i + 1) },
        error => { done(res.headersSent ? undefined : error, res.headersSent) }
      )
      return
    }
    if (res.headersSent) return done(undefined, true)
  }
  done(undefined, false)
}

/**
 * An Express middleware of apex's as a step: it resolves when the middleware passes the request on
 * (`next()`) or answers, and rejects with the error it passes on or throws.
 */
export function apexStep (middleware: RequestHandler): (req: Request, res: Response) => Promise<void> {
  return (req, res) => new Promise<void>((resolve, reject) => {
    let moved = false
    const move = (error?: unknown): void => {
      if (moved) return
      moved = true
      if (error === undefined) resolve()
      else reject(error === 'route' || error === 'router' ? new Error('an apex step skipped its route') : error)
    }
    if (res instanceof RecipientResponse) res.whenEnded(() => move())
    try {
      middleware(req, res, move)
    } catch (error) {
      move(error)
    }
  })
}

/**
 * The response of one recipient's run of the inbox steps (the shared inbox runs them once per
 * recipient, inside one request): it records the status and whether a step answered; `locals` is
 * the run's own; `close` is emitted when the run ends. What the recipient runs answer becomes the
 * request's answer (`shared-inbox.ts`).
 */
export class RecipientResponse extends EventEmitter {
  statusCode = 200
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
    if (!this.headersSent) {
      this.headersSent = true
      this.onEnd?.()
    }
    return this
  }

  /** Called when a step answers. */
  whenEnded (callback: () => void): void { this.onEnd = callback }
}

/** How one recipient's run ended: answered (with the status), refused with an error, or ran to its end. */
export type RecipientOutcome = { kind: 'answered', status: number } | { kind: 'error', error: unknown } | { kind: 'completed' }

/**
 * Runs the per-recipient steps on `req` with `res`; emits `close` on `res` when the run ends, then
 * hands `done` the outcome. A callback, not a promise: the personal inbox runs it on every POST.
 */
export function runRecipientStepsThen (steps: readonly InboxStep[], req: Request, res: RecipientResponse, done: (outcome: RecipientOutcome) => void): void {
  runSteps(steps, req, res as unknown as Response, (error, answered) => {
    res.emit('close')
    if (error !== undefined) done({ kind: 'error', error })
    else done(answered ? { kind: 'answered', status: res.statusCode } : { kind: 'completed' })
  })
}

/** `runRecipientStepsThen` as a promise of the outcome. */
export function runRecipientSteps (steps: readonly InboxStep[], req: Request, res: RecipientResponse): Promise<RecipientOutcome> {
  return new Promise<RecipientOutcome>(resolve => { runRecipientStepsThen(steps, req, res, resolve) })
}
