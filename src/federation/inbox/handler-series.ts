import type { RequestHandler } from 'express'

/**
 * Runs `handlers` one after the other on the same request, as Express runs the handlers of one
 * route, but without its router: no layer matching and no extra promise per step. An error (or
 * a thrown one) goes to `next` at once; after the last handler, `next()`.
 */
export function handlerSeries (handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, outerNext) => {
    let index = 0
    const step = (err?: unknown): void => {
      if (err !== undefined) return outerNext(err)
      const handler = handlers[index++]
      if (handler === undefined) return outerNext()
      try {
        handler(req, res, step)
      } catch (error) {
        outerNext(error)
      }
    }
    step()
  }
}
