import express from 'express'
import { IncomingMessage, RequestListener, Server, ServerResponse } from 'http'
import type { AddressInfo } from 'net'
import { loadHttpLimitsConfig } from '../../src/config/http-limits-config'
import { answerInboxesFirst } from '../../src/federation/routes/inbox-first'
import { createHttpServer } from '../../src/http-server'

interface Seen { request: object | null, response: object | null, inRoute: object | null }

/** An Express app with one Express route and one inbox route answered before its router. */
function testApp (seen: Seen): express.Express {
  const app = express()
  app.get('/echo/:name', (req, res) => { res.status(201).json({ name: req.params.name, header: req.get('x-test'), path: req.path }) })
  answerInboxesFirst(app, [{
    path: '/in/:name',
    handler: (req, res) => {
      seen.inRoute = Object.getPrototypeOf(req) as object
      res.status(202).json({ name: req.params.name, json: req.is('application/json') })
    }
  }], (_err, _req, res) => { res.status(500).end() })
  return app
}

/** Serves `app` behind a listener that records the prototypes of what the server created. */
async function serve (app: express.Express, seen: Seen, withPrototypes: boolean): Promise<{ server: Server, origin: string }> {
  const listener: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    seen.request = Object.getPrototypeOf(req) as object
    seen.response = Object.getPrototypeOf(res) as object
    app(req, res)
  }
  const server = createHttpServer(listener, loadHttpLimitsConfig({}, 600), withPrototypes ? { request: app.request, response: app.response } : undefined)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

function close (server: Server): void {
  server.closeAllConnections()
  server.close()
}

describe("the HTTP server given the app's prototypes", () => {
  it("creates Node's requests and responses that already have the app's methods", async () => {
    const seen: Seen = { request: null, response: null, inRoute: null }
    const app = testApp(seen)
    const { server, origin } = await serve(app, seen, true)
    try {
      const response = await fetch(`${origin}/echo/coop`, { headers: { 'x-test': 'yes' } })
      expect(response.status).toBe(201)
      expect(await response.json()).toEqual({ name: 'coop', header: 'yes', path: '/echo/coop' })
      const requestPrototype = seen.request as Record<string, unknown>
      const responsePrototype = seen.response as Record<string, unknown>
      expect(Object.getPrototypeOf(requestPrototype)).toBe(IncomingMessage.prototype)
      expect(Object.getPrototypeOf(responsePrototype)).toBe(ServerResponse.prototype)
      expect(requestPrototype.get).toBe((app.request as unknown as Record<string, unknown>).get)
      expect(requestPrototype.app).toBe(app)
      expect(responsePrototype.json).toBe((app.response as unknown as Record<string, unknown>).json)
      expect(responsePrototype.app).toBe(app)
    } finally {
      close(server)
    }
  })

  it('keeps the prototype of a request an inbox route answers, and the route answers through it', async () => {
    const seen: Seen = { request: null, response: null, inRoute: null }
    const { server, origin } = await serve(testApp(seen), seen, true)
    try {
      const response = await fetch(`${origin}/in/coop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      expect(response.status).toBe(202)
      expect(await response.json()).toEqual({ name: 'coop', json: 'application/json' })
      expect(seen.inRoute).toBe(seen.request)
      expect(seen.inRoute).not.toBe(IncomingMessage.prototype)
    } finally {
      close(server)
    }
  })

  it("without them, creates Node's plain objects, which the inbox route gives the app's prototypes", async () => {
    const seen: Seen = { request: null, response: null, inRoute: null }
    const app = testApp(seen)
    const { server, origin } = await serve(app, seen, false)
    try {
      const response = await fetch(`${origin}/in/coop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
      expect(response.status).toBe(202)
      expect(await response.json()).toEqual({ name: 'coop', json: 'application/json' })
      expect(seen.request).toBe(IncomingMessage.prototype)
      expect(seen.inRoute).toBe(app.request)
    } finally {
      close(server)
    }
  })
})
