import { nestedDeeperThan } from '../../src/federation/inbox/json-depth'

/**
 * The depth check on the inbox's JSON text: its quick count of brackets may only ever let through
 * what the walk would let through, whatever sits inside strings.
 */

const nested = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels)

describe('nestedDeeperThan', () => {
  it('lets text nested exactly to the limit through, and refuses one level more', () => {
    expect(nestedDeeperThan(nested(4), 4)).toBe(false)
    expect(nestedDeeperThan(nested(5), 4)).toBe(true)
    expect(nestedDeeperThan('[[[[[1]]]]]', 4)).toBe(true)
    expect(nestedDeeperThan('[{"a":[{"b":[]}]}]', 4)).toBe(true)
  })

  it('lets through shallow text with more brackets than the limit, side by side or inside strings', () => {
    const siblings = JSON.stringify({ tag: Array.from({ length: 50 }, (_, i) => ({ name: `#t${i}` })) })
    expect(nestedDeeperThan(siblings, 4)).toBe(false)
    expect(nestedDeeperThan(JSON.stringify({ content: '{[{[{[{[{[' }), 4)).toBe(false)
    expect(nestedDeeperThan(JSON.stringify({ content: 'quote \\" then {[{[{[' }), 4)).toBe(false)
  })

  it('refuses deep text whose brackets are also found inside strings', () => {
    const deep = nested(5).replace('1', '"{[{[{["')
    expect(nestedDeeperThan(deep, 4)).toBe(true)
    expect(nestedDeeperThan(`{"s":"${'['.repeat(10)}","x":${nested(5)}}`, 5)).toBe(true)
  })
})
