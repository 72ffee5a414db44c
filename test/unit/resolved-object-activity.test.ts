import { withResolvedObject } from '../../src/federation/inbox/store-received-activity'

// apex's own merge, as its `activity.save` used it before the hub built the stored activity itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { mergeJSONLD } = require('activitypub-express/pub/utils') as { mergeJSONLD: (target: unknown, source: unknown) => unknown }

/** What the inbox stored before: apex's merge of `{}`, the body and the resolved object. */
const byApex = (body: Record<string, unknown>, object: unknown): unknown => [{}, body, { object: [object] }].reduce<unknown>((a, b) => mergeJSONLD(a, b), {})

const NOTE = { id: 'https://peer.example/notes/1', type: ['Note'], content: ['hello'], tag: [{ type: ['Mention'], href: ['https://hub.example/u/coop'] }] }

describe('the stored activity with its resolved object', () => {
  const bodies: Array<[string, Record<string, unknown>]> = [
    ['a compacted Create', { '@context': 'https://www.w3.org/ns/activitystreams', id: 'https://peer.example/a/1', type: ['Create'], actor: ['https://peer.example/actor'], to: ['https://hub.example/u/coop'], object: ['https://peer.example/notes/1'] }],
    ['one without an object', { id: 'https://peer.example/a/2', type: ['Like'], actor: ['https://peer.example/actor'] }],
    ['nested plain objects and a meta', { id: 'https://peer.example/a/3', type: ['Announce'], object: [NOTE], signature: { type: 'RsaSignature2017', creator: { id: 'k', nested: [1, { deep: true }] } }, _meta: { collection: ['https://hub.example/u/coop/inbox'] } }],
    ['keys Object.prototype has', JSON.parse('{"id":"https://peer.example/a/4","type":["Create"],"constructor":["x"],"__proto__":{"polluted":true},"toString":"y","extra":{"hasOwnProperty":1,"kept":2}}') as Record<string, unknown>]
  ]

  it.each(bodies)('is what apex built for %s: same JSON, same key order', (_name, body) => {
    expect(JSON.stringify(withResolvedObject(body, NOTE))).toBe(JSON.stringify(byApex(body, NOTE)))
  })

  it('shares the same arrays with the body and copies the same objects as apex did', () => {
    const body = bodies[2][1]
    const ours = withResolvedObject(body, NOTE) as unknown as Record<string, unknown>
    const apexOwn = byApex(body, NOTE) as Record<string, unknown>
    expect(ours.type === body.type).toBe(apexOwn.type === body.type)
    expect(ours._meta === body._meta).toBe(apexOwn._meta === body._meta)
    expect(ours._meta).toEqual(body._meta)
    expect((ours.object as unknown[])[0]).toBe(NOTE)
    expect((apexOwn.object as unknown[])[0]).toBe(NOTE)
    expect(Object.getPrototypeOf(ours)).toBe(Object.prototype)
  })
})
