import http from 'node:http'
import type { AddressInfo } from 'node:net'
import express, { ErrorRequestHandler, Express, RequestHandler } from 'express'
import request from 'supertest'
import { answerInboxesFirst } from '../../src/federation/routes/inbox-first'
import { ROUTES } from '../../src/federation/routes/route-paths'

/** The inbox handlers answer with where the request went and what Express gave it. */
const echo = (route: string): RequestHandler => (req, res) => {
  res.status(202).json({ route, params: req.params, originalUrl: req.originalUrl, body: req.body as unknown, locals: typeof res.locals })
}

const onError: ErrorRequestHandler = (err: Error, _req, res, _next) => { res.status(418).json({ error: err.message }) }

/** An app whose routes after the inbox say that they answered. */
function appWithInboxes (handlers: Partial<Record<'inbox' | 'shared', RequestHandler>> = {}): Express {
  const app = express()
  app.post(ROUTES.inbox, (_req, res) => { res.status(299).json({ route: 'app' }) })
  app.get(ROUTES.inbox, (_req, res) => { res.status(200).json({ route: 'app get' }) })
  app.post('/elsewhere', (_req, res) => { res.status(201).json({ route: 'app elsewhere' }) })
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => { res.status(400).json({ route: 'app error', error: err.message }) })
  answerInboxesFirst(app, [
    { path: ROUTES.inbox, handler: handlers.inbox ?? echo('inbox') },
    { path: ROUTES.sharedInbox, handler: handlers.shared ?? echo('shared') }
  ], onError)
  return app
}

describe('inbox POSTs answered before Express\'s router', () => {
  it('matches the paths Express\'s router matches for the same route, and no others', async () => {
    const reference = express()
    reference.post(ROUTES.inbox, (_req, res) => { res.status(202).json({ actor: _req.params.actor }) })
    reference.post(ROUTES.sharedInbox, (_req, res) => { res.status(202).json({}) })
    const paths = [
      '/u/coop/inbox', '/u/coop/inbox/', '/U/Coop/INBOX', '/u/co%20op/inbox', '/u/coop/inbox?x=1', '/inbox', '/inbox/',
      '/INBOX', '/u//inbox', '/u/coop/inbox//', '/u/a/b/inbox', '/u/coop/inboxes', '/xu/coop/inbox', '/inbox/x', '/u/coop'
    ]
    const app = appWithInboxes()
    for (const path of paths) {
      const expected = await request(reference).post(path).send({})
      const actual = await request(app).post(path).send({})
      const expressMatched = expected.status === 202
      const inboxAnswered = actual.status === 202
      expect({ path, matched: inboxAnswered }).toEqual({ path, matched: expressMatched })
      if (expressMatched && expected.body.actor !== undefined) expect(actual.body.params.actor).toBe(expected.body.actor)
    }
  })

  it('takes the absolute form of the request target, as Express\'s router does', async () => {
    const server = appWithInboxes().listen(0, '127.0.0.1')
    await new Promise<void>(resolve => server.once('listening', () => resolve()))
    try {
      const { port } = server.address() as AddressInfo
      const post = async (target: string): Promise<{ status: number, body: Record<string, unknown> }> => await new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: target, headers: { 'content-type': 'application/json' } }, res => {
          let text = ''
          res.on('data', (chunk: Buffer) => { text += chunk.toString() })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }))
        })
        req.on('error', reject)
        req.end('{}')
      })
      expect(await post('http://hub.example/u/coop/inbox?x=1')).toMatchObject({ status: 202, body: { route: 'inbox', params: { actor: 'coop' }, originalUrl: 'http://hub.example/u/coop/inbox?x=1' } })
      expect(await post('https://hub.example:8443/inbox')).toMatchObject({ status: 202, body: { route: 'shared' } })
      expect(await post('http://hub.example/elsewhere')).toMatchObject({ status: 201, body: { route: 'app elsewhere' } })
    } finally {
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  })

  it('gives the handler the decoded parameter, the whole original URL, Express\'s methods and locals', async () => {
    const res = await request(appWithInboxes()).post('/u/co%20op/inbox?page=2').send({ type: 'Create' }).expect(202)
    expect(res.body).toMatchObject({ route: 'inbox', params: { actor: 'co op' }, originalUrl: '/u/co%20op/inbox?page=2', locals: 'object' })
    // No body parser ran before the handler: reading the body is the inbox's own step.
    expect(res.body.body).toBeUndefined()
  })

  it('leaves every other method and path to the app', async () => {
    await request(appWithInboxes()).get('/u/coop/inbox').expect(200, { route: 'app get' })
    await request(appWithInboxes()).post('/elsewhere').expect(201, { route: 'app elsewhere' })
  })

  it('sends an error passed on by the inbox to the error responder it was given', async () => {
    const failing: RequestHandler = (_req, _res, next) => { next(new Error('refused by the inbox')) }
    await request(appWithInboxes({ inbox: failing })).post('/u/coop/inbox').expect(418, { error: 'refused by the inbox' })
    const throwing: RequestHandler = () => { throw new Error('thrown by the inbox') }
    await request(appWithInboxes({ shared: throwing })).post('/inbox').expect(418, { error: 'thrown by the inbox' })
  })

  it('hands a request the inbox passes on to the app, which answers it as its next route would', async () => {
    const passOn: RequestHandler = (_req, _res, next) => { next() }
    await request(appWithInboxes({ inbox: passOn })).post('/u/coop/inbox').expect(299, { route: 'app' })
  })

  it('leaves a parameter that does not decode to the app, which refuses it as before', async () => {
    const res = await request(appWithInboxes()).post('/u/%E0%A4%A/inbox').send({})
    expect(res.status).toBe(400)
    expect(res.body.route).toBe('app error')
  })
})
