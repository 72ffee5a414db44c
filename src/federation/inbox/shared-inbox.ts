import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { AppError, ValidationError } from '../../errors/app-errors'
import type { Logger } from '../../log/logger'
import type { HubStore } from '../../store/store.port'
import { first, PUBLIC_ADDRESSES } from '../../domain/activity-streams/nodes'
import { rawActorId } from './inbox-authentication'
import { InboxStep, RecipientOutcome, RecipientResponse, runRecipientSteps, runRecipientStepsThen } from './inbox-steps'

const AUDIENCE = ['to', 'cc', 'bto', 'bcc', 'audience']

/** What the inbox tells the event's listener besides the event: whether a journal entry waits to be closed. */
export interface InboxReceiptState {
  journaled: boolean
}

/** A co-op on this hub that an activity at the shared inbox is for. */
export interface LocalRecipient {
  actorId: string
  username: string
}

/**
 * The co-ops on this hub an activity is for: those it is addressed to (or whose actor is its
 * object, as in a Follow), and, when it is addressed to the public or to its actor's followers,
 * those that follow its actor. Each co-op once.
 */
export async function localRecipients (store: HubStore, body: Record<string, unknown>, senderFollowers: string | undefined): Promise<LocalRecipient[]> {
  const named = new Set<string>()
  const audience = new Set<string>()
  for (const key of [...AUDIENCE, 'object']) {
    const values = Array.isArray(body[key]) ? body[key] as unknown[] : [body[key]]
    for (const v of values) {
      const iri = typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : null
      if (iri === null) continue
      named.add(iri)
      if (key !== 'object') audience.add(iri)
    }
  }
  const toFollowers = PUBLIC_ADDRESSES.some(p => audience.has(p)) || (senderFollowers !== undefined && audience.has(senderFollowers))
  const actorIds = new Set<string>()
  for (const iri of named) if (await store.getCoopByActorId(iri)) actorIds.add(iri)
  const sender = rawActorId(body)
  if (sender && toFollowers) {
    for (const follow of await store.listOutgoingFollows()) {
      if (follow.targetActorId === sender && follow.state === 'accepted') actorIds.add(follow.localActorId)
    }
  }
  const out: LocalRecipient[] = []
  for (const actorId of actorIds) {
    const coop = await store.getCoopByActorId(actorId)
    if (coop) out.push({ actorId, username: coop.username })
  }
  return out
}

/**
 * The request and response one recipient's run of the per-recipient steps works on; `body` is
 * the recipient's own copy. The personal inbox passes its own request (`own`); the shared inbox a
 * request per recipient.
 */
function recipientRun (req: Request, res: Response, recipient: LocalRecipient, body: unknown, own: boolean): { req: Request, res: RecipientResponse } {
  const sub = own ? req : Object.create(req) as Request
  sub.params = { actor: recipient.username }
  sub.body = body
  const locals = { apex: { eventName: null, eventMessage: {}, postWork: [], sender: res.locals.apex.sender } }
  return { req: sub, res: new RecipientResponse(locals, req.app) }
}

/** Runs the per-recipient steps for one recipient of the shared inbox. */
async function runFor (req: Request, res: Response, steps: readonly InboxStep[], recipient: LocalRecipient, body: unknown): Promise<{ recipient: LocalRecipient, outcome: RecipientOutcome, res: RecipientResponse }> {
  const run = recipientRun(req, res, recipient, body, false)
  return { recipient, outcome: await runRecipientSteps(steps, run.req, run.res), res: run.res }
}

/**
 * A co-op's own inbox: the per-recipient steps run once, outside Express's router, and their
 * answer (202, or the refusal it passed on) is the request's; apex's after-answer work (its
 * post-work tasks, then its event) runs once the answer is sent, as apex does. The steps run
 * straight on the request, with no promise around the run (this is every personal inbox POST).
 */
export function personalInbox (steps: readonly InboxStep[], logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const run = recipientRun(req, res, { actorId: '', username: req.params.actor }, req.body, true)
    runRecipientStepsThen(steps, run.req, run.res, outcome => {
      if (outcome.kind === 'error') return next(outcome.error)
      if (outcome.kind === 'completed') return next()
      if (hasAfterAnswerWork(run.res)) res.once('finish', () => { void afterAnswer([run.res], req, logger) })
      res.status(outcome.status).end()
    })
  }
}

/**
 * The shared inbox (`endpoints.sharedInbox`): after the request is authenticated once, the
 * personal inbox's steps run once per local recipient, as if the activity had been posted to
 * each inbox; apex's event for each runs after the answer, like apex does. The answer is 202 when
 * any recipient took it or none is here; otherwise the first refusal.
 */
export function sharedInbox (store: HubStore, steps: readonly InboxStep[], logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const raw = req.body as Record<string, unknown>
    const sender = res.locals.apex.sender as { followers?: unknown } | undefined
    ;(async () => {
      const recipients = await localRecipients(store, raw, first<string>(sender?.followers))
      const runs: Array<{ recipient: LocalRecipient, outcome: RecipientOutcome, res: RecipientResponse }> = []
      for (const recipient of recipients) runs.push(await runFor(req, res, steps, recipient, structuredClone(raw)))
      return runs
    })().then(runs => {
      const unexpected = runs.find(r => r.outcome.kind === 'error' && !(r.outcome.error instanceof AppError))
      if (unexpected && unexpected.outcome.kind === 'error') return next(unexpected.outcome.error)
      const accepted = runs.filter(r => r.outcome.kind === 'answered' && r.outcome.status < 300)
      if (runs.length === 0 || accepted.length > 0) {
        res.once('finish', () => { void afterAnswer(runs.map(r => r.res), req, logger) })
        res.status(202).end()
        return
      }
      logger.debug({ refusals: runs.map(r => ({ to: r.recipient.actorId, outcome: describe(r.outcome) })) }, 'shared inbox: refused for every recipient')
      const first = runs[0].outcome
      if (first.kind === 'error') return next(first.error)
      next(new ValidationError(`The activity was not accepted for ${runs[0].recipient.actorId}`))
    }, next)
  }
}

/** True when apex left work for after the answer (post-work tasks or an event): a Create settled at once leaves none. */
function hasAfterAnswerWork (res: RecipientResponse): boolean {
  const apexLocals = res.locals.apex as { postWork: unknown[], eventName: string | null }
  return apexLocals.postWork.length > 0 || Boolean(apexLocals.eventName)
}

/** apex's after-answer work for each recipient: its post-work tasks in order, then its event. */
async function afterAnswer (responses: RecipientResponse[], req: Request, logger: Logger): Promise<void> {
  for (const r of responses) {
    const apexLocals = r.locals.apex as { postWork: Array<(res: unknown) => Promise<unknown>>, eventName: string | null, eventMessage: unknown, settled?: boolean }
    try {
      for (const task of apexLocals.postWork) await task(r)
      const receipt: InboxReceiptState = { journaled: apexLocals.settled !== true }
      if (apexLocals.eventName) req.app.emit(apexLocals.eventName, apexLocals.eventMessage, receipt)
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'inbox: post-answer work failed')
    }
  }
}

function describe (outcome: RecipientOutcome): string {
  if (outcome.kind === 'error') return outcome.error instanceof AppError ? `${outcome.error.code}: ${outcome.error.message}` : 'error'
  return outcome.kind === 'answered' ? String(outcome.status) : 'no answer'
}
