import type { Request, Response } from 'express'
import { mentionsBonfireValueFlows, valueFlowsAlias, VF_BONFIRE_NAMESPACE, VF_NAMESPACE } from '../../src/federation/inbox/valueflows-alias'

/** Runs the inbox step on a body; answers the body the next step sees. */
function aliased (body: unknown): unknown {
  const req = { body } as Request
  // A step with nothing to wait for returns nothing: the next one runs at once.
  expect(valueFlowsAlias(req, {} as Response)).toBeUndefined()
  return req.body
}

describe('the ValueFlows alias of the inbox', () => {
  it('finds Bonfire\'s namespace at the start of a key or a string, at any depth', () => {
    expect(mentionsBonfireValueFlows({ '@context': ['https://www.w3.org/ns/activitystreams', { ValueFlows: VF_BONFIRE_NAMESPACE }] })).toBe(true)
    expect(mentionsBonfireValueFlows({ object: [{ type: [`${VF_BONFIRE_NAMESPACE}Agreement`] }] })).toBe(true)
    expect(mentionsBonfireValueFlows({ object: { [`${VF_BONFIRE_NAMESPACE}stipulates`]: 1 } })).toBe(true)
    // Elsewhere in a string it names nothing: no IRI is rewritten there.
    expect(mentionsBonfireValueFlows({ content: [`see ${VF_BONFIRE_NAMESPACE}Agreement`], n: 1, ok: true, none: null })).toBe(false)
    expect(mentionsBonfireValueFlows({ type: [`${VF_NAMESPACE}Agreement`] })).toBe(false)
  })

  it('rewrites a body in Bonfire\'s namespace and leaves any other body as it came', () => {
    const bonfire = { '@context': [{ ValueFlows: VF_BONFIRE_NAMESPACE }], type: 'ValueFlows:Agreement', object: { type: `${VF_BONFIRE_NAMESPACE}Commitment` } }
    expect(aliased(bonfire)).toEqual({ '@context': [{ ValueFlows: VF_NAMESPACE }], type: 'ValueFlows:Agreement', object: { type: `${VF_NAMESPACE}Commitment` } })
    const note = { type: ['Create'], object: [{ type: ['Note'], content: [`see ${VF_BONFIRE_NAMESPACE}Agreement`] }] }
    expect(aliased(note)).toBe(note)
  })
})
