import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { actorIsSender } from '../../src/federation/inbox/actor-is-sender'
import { ChainResponse, runChain } from '../../src/federation/inbox/middleware-runner'
import type { Apex } from '../../src/federation/apex-setup'

const HUB = 'http://127.0.0.1:4100'
const ALICE = 'http://127.0.0.1:4200/users/alice'

function chainResponse (): ChainResponse {
  return new ChainResponse({ apex: {} }, {})
}

/** The per-recipient chain runner, on its own: the order, and how a run ends. */
describe('runChain', () => {
  const req = {} as Request

  it('runs the middlewares in order and completes when the last one calls next', async () => {
    const seen: number[] = []
    const step = (n: number): RequestHandler => (_req, _res, next) => { seen.push(n); next() }
    const res = chainResponse()
    let closed = 0
    res.on('close', () => closed++)
    expect(await runChain([step(1), step(2), step(3)], req, res)).toEqual({ kind: 'completed' })
    expect(seen).toEqual([1, 2, 3])
    expect(closed).toBe(1)
  })

  it('stops at the middleware that answers, and runs none after it', async () => {
    const after = jest.fn()
    const answer: RequestHandler = (_req, res) => { setImmediate(() => res.status(202).end()) }
    const outcome = await runChain([(_q, _s, next) => next(), answer, after], req, chainResponse())
    expect(outcome).toEqual({ kind: 'answered', status: 202 })
    expect(after).not.toHaveBeenCalled()
  })

  it('passes on an error given to next or thrown, and ignores a second next from the same middleware', async () => {
    const boom = new Error('boom')
    const after = jest.fn()
    const twice: RequestHandler = (_req, _res, next) => { next(boom); next() }
    expect(await runChain([twice, after], req, chainResponse())).toEqual({ kind: 'error', error: boom })
    expect(after).not.toHaveBeenCalled()
    const thrown: RequestHandler = () => { throw boom }
    expect(await runChain([thrown, after], req, chainResponse())).toEqual({ kind: 'error', error: boom })
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

  function run (actorId: string, senderId: string, blockList: string[] = []): { locals: Record<string, unknown>, next: jest.Mock } {
    apexActor.mockClear()
    const locals: Record<string, unknown> = { sender: { id: senderId, type: 'Person' }, target: { id: `${HUB}/u/coop`, _local: { blockList } } }
    const next = jest.fn()
    step({ body: { actor: [actorId] } } as unknown as Request, { locals: { apex: locals } } as unknown as Response, next)
    return { locals, next }
  }

  it('uses the verified sender when it is the activity\'s remote actor, without apex\'s second look-up', () => {
    const { locals, next } = run(ALICE, ALICE)
    expect(locals.actor).toBe(locals.sender)
    expect(apexActor).not.toHaveBeenCalled()
    expect(next).toHaveBeenCalledWith()
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
