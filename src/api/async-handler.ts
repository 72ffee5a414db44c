import { NextFunction, Request, RequestHandler, Response } from 'express'

/** Lets a route be an async function: a rejection reaches the error responder (Express 4 does not do this). */
export function wrap (handler: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    handler(req, res).catch(next)
  }
}
