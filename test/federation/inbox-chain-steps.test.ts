import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { actorIsSender } from '../../src/federation/inbox/actor-is-sender'
import { apexStep, InboxStep, RecipientResponse, runRecipientSteps } from '../../src/federation/inbox/inbox-steps'
import type { Apex } from '../../src/federation/apex-setup'

const HUB = 'http://127.0.0.1:4100'
const ALICE = 'http://127.0.0.1:4200/users/alice'

function recipientResponse (): RecipientResponse {
  return new RecipientResponse({ apex: {} }, {})
}

/** The per-recipient step runner, on its own: the order, and how a run ends. */
describe('runRecipientSteps', () => {
  const req = {} as Request

  it('runs the steps in order, waiting for the ones that return a promise, and completes after the last', async () => {
    const seen: number[] = []
    const step = (n: number): InboxStep => () => { seen.push(n) }
    const later = (n: number): InboxStep => async () => { await new Promise(resolve => setImmediate(resolve)); seen.push(n) }
    const res = recipientResponse()
    let closed = 0
    res.on('close', () => closed++)
    expect(await runRecipientSteps([step(1), later(2), step(3)], req, res)).toEqual({ kind: 'completed' })
    expect(seen).toEqual([1, 2, 3])
    expect(closed).toBe(1)
  })

  it('stops at the step that answers, and runs none after it', async () => {
    const after = jest.fn()
    const answer: InboxStep = async (_req, res) => { await new Promise(resolve => setImmediate(resolve)); res.status(202).end() }
    const outcome = await runRecipientSteps([() => undefined, answer, after], req, recipientResponse())
    expect(outcome).toEqual({ kind: 'answered', status: 202 })
    expect(after).not.toHaveBeenCalled()
  })

  it('ends with the error a step throws or rejects with, and runs none after it', async () => {
    const boom = new Error('boom')
    const after = jest.fn()
    const thrown: InboxStep = () => { throw boom }
    expect(await runRecipientSteps([thrown, after], req, recipientResponse())).toEqual({ kind: 'error', error: boom })
    const rejected: InboxStep = async () => { throw boom }
    expect(await runRecipientSteps([rejected, after], req, recipientResponse())).toEqual({ kind: 'error', error: boom })
    expect(after).not.toHaveBeenCalled()
  })

  it('keeps the answer when the step that gave it fails after', async () => {
    const answerThenFail: InboxStep = async (_req, res) => { res.status(202).end(); throw new Error('too late') }
    expect(await runRecipientSteps([answerThenFail], req, recipientResponse())).toEqual({ kind: 'answered', status: 202 })
  })
})

/** apex's middlewares as steps: they move on by `next`, refuse by an error, and only once. */
describe('apexStep', () => {
  const req = {} as Request

  it('resolves on next(), rejects with the error passed on or thrown, and ignores a second next', async () => {
    const boom = new Error('boom')
    const after = jest.fn()
    const twice: RequestHandler = (_req, _res, next) => { next(boom); next() }
    expect(await runRecipientSteps([apexStep(twice), after], req, recipientResponse())).toEqual({ kind: 'error', error: boom })
    const thrown: RequestHandler = () => { throw boom }
    expect(await runRecipientSteps([apexStep(thrown), after], req, recipientResponse())).toEqual({ kind: 'error', error: boom })
    expect(after).not.toHaveBeenCalled()
    const passes: RequestHandler = (_req, _res, next) => { next() }
    expect(await runRecipientSteps([apexStep(passes), after], req, recipientResponse())).toEqual({ kind: 'completed' })
    expect(after).toHaveBeenCalledTimes(1)
  })

  it('ends the run when the middleware answers instead of passing on', async () => {
    const after = jest.fn()
    const answers: RequestHandler = (_req, res) => { setImmediate(() => res.status(403).end()) }
    expect(await runRecipientSteps([apexStep(answers), after], req, recipientResponse())).toEqual({ kind: 'answered', status: 403 })
    expect(after).not.toHaveBeenCalled()
  })
})

/** The sender is taken as the actor only where apex's own check would find that same document. */
describe('actorIsSender', () => {
  const apexActor = jest.fn((_req: Request, _res: Response, next: NextFunction) => next())
  const apex = {
    net: { validators: { actor: apexActor } },
    actorIdFromActivity: (activity: { actor: unknown[] }) => activity.actor[0]
  } as unknown as Apex
  const step = actorIsSender(apex, HUB)

  function run (actorId: string, senderId: string, blockList: string[] = []): { locals: Record<string, unknown>, pending: void | Promise<void> } {
    apexActor.mockClear()
    const locals: Record<string, unknown> = { sender: { id: senderId, type: 'Person' }, target: { id: `${HUB}/u/coop`, _local: { blockList } } }
    const pending = step({ body: { actor: [actorId] } } as unknown as Request, { locals: { apex: locals } } as unknown as Response)
    return { locals, pending }
  }

  it('uses the verified sender when it is the activity\'s remote actor, without apex\'s second look-up', () => {
    const { locals, pending } = run(ALICE, ALICE)
    expect(locals.actor).toBe(locals.sender)
    expect(apexActor).not.toHaveBeenCalled()
    // Nothing to wait for: the step moves on at once.
    expect(pending).toBeUndefined()
  })

  it.each([
    ['another actor than the sender', `${ALICE}-relay`, ALICE, []],
    ['an actor the recipient blocked', ALICE, ALICE, [ALICE]],
    ['one of the hub\'s own actors (apex reads it with its _meta)', `${HUB}/u/other`, `${HUB}/u/other`, []],
    ['an id apex would look up without its fragment', `${ALICE}#me`, `${ALICE}#me`, []]
  ])('leaves %s to apex', (_what, actorId, senderId, blockList) => {
    const { locals } = run(actorId, senderId, blockList)
    expect(apexActor).toHaveBeenCalledTimes(1)
    expect(locals.actor).toBeUndefined()
  })
})
