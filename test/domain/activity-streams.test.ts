/**
 * The JSON-LD node helpers and the typed guards the inbox uses, and the hub's object types
 * checked against the JSON Schemas they come from.
 */
import fs from 'fs'
import path from 'path'
import { AS_PUBLIC, first, hasType, idOf, idsOf, isPublicAddress, typesOf } from '../../src/domain/activity-streams/nodes'
import { HUB_OBJECT_TYPES } from '../../src/domain/activity-streams/object-types'
import { embeddedNode, embeddedNodeOfType, isActivityOf, isEmbeddedNode } from '../../src/federation/activity-guards'

const SCHEMAS: Record<keyof typeof HUB_OBJECT_TYPES, string> = {
  hostedService: 'hosted-service', fundingPool: 'funding-pool', pledge: 'pledge', agreement: 'member-exchange-agreement'
}

describe('JSON-LD node helpers', () => {
  it('read a property whether apex kept it as an array, a string or an embedded node', () => {
    expect(first(['a', 'b'])).toBe('a')
    expect(first('a')).toBe('a')
    expect(idOf([{ id: 'https://x.example/1', type: 'Note' }])).toBe('https://x.example/1')
    expect(idOf('https://x.example/2')).toBe('https://x.example/2')
    expect(idOf([{ type: 'Note' }])).toBeUndefined()
    expect(idsOf(['https://x.example/1', { id: 'https://x.example/2' }, { type: 'Note' }])).toEqual(['https://x.example/1', 'https://x.example/2'])
    expect(typesOf({ type: ['Page', 'ioo:HostedService'] })).toEqual(['Page', 'ioo:HostedService'])
    expect(typesOf('https://x.example/1')).toEqual([])
    expect(hasType({ type: ['Page', 'ioo:FundingPool'] }, 'ioo:FundingPool')).toBe(true)
    expect(hasType({ type: 'Page' }, 'ioo:FundingPool')).toBe(false)
  })

  it('know the public address in each form peers and the compactor write it', () => {
    expect([AS_PUBLIC, 'as:Public', 'Public'].every(isPublicAddress)).toBe(true)
    expect(isPublicAddress('https://x.example/followers')).toBe(false)
  })
})

describe('typed guards for what the inbox receives', () => {
  const pledge = { type: ['vf:Agreement', 'ioo:Pledge'], context: 'https://x.example/pools/1' }
  const offer = { id: 'https://x.example/offers/1', type: 'Offer', object: [pledge] }

  it('tell an embedded node from an IRI reference', () => {
    expect(isEmbeddedNode(pledge)).toBe(true)
    expect(isEmbeddedNode('https://x.example/1')).toBe(false)
    expect(isEmbeddedNode({ id: 'https://x.example/1' })).toBe(false)
    expect(embeddedNode(offer.object)).toBe(pledge)
    expect(embeddedNode(['https://x.example/1'])).toBeUndefined()
  })

  it('check the type of an embedded object and of an activity\'s object', () => {
    expect(embeddedNodeOfType(offer.object, HUB_OBJECT_TYPES.pledge)).toBe(pledge)
    expect(embeddedNodeOfType(offer.object, HUB_OBJECT_TYPES.agreement)).toBeUndefined()
    expect(isActivityOf(offer, 'Offer', HUB_OBJECT_TYPES.pledge)).toBe(true)
    expect(isActivityOf({ ...offer, object: ['https://x.example/pledges/1'] }, 'Offer', HUB_OBJECT_TYPES.pledge)).toBe(false)
  })
})

describe('the hub\'s object types', () => {
  it.each(Object.entries(SCHEMAS))('%s is a type its schema requires', (key, schema) => {
    const doc = JSON.parse(fs.readFileSync(path.resolve(__dirname, `../../schemas/objects/${schema}.schema.json`), 'utf8'))
    const required = (doc.properties.type.allOf as Array<{ contains: { const: string } }>).map(c => c.contains.const)
    expect(required).toContain(HUB_OBJECT_TYPES[key as keyof typeof HUB_OBJECT_TYPES])
  })
})
