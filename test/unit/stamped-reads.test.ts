import { StampedReads } from '../../src/federation/stamped-reads'
import type { ChangeStamps, HubStore } from '../../src/store/store.port'

/** A store whose stamps the test moves by hand. */
function storeWithStamps (): { store: HubStore, stamps: ChangeStamps } {
  const stamps: ChangeStamps = { documents: 1, domainBlocks: 1 }
  return { store: { changeStamps: async () => ({ ...stamps }) } as unknown as HubStore, stamps }
}

describe('StampedReads', () => {
  it('keeps a value while its kind\'s stamp is unchanged, and reads it again once the stamp moves', async () => {
    const { store, stamps } = storeWithStamps()
    const reads = new StampedReads<string>(store, 'documents')
    let loads = 0
    const load = async (): Promise<string> => `v${++loads}`
    expect(await reads.read('a', load)).toBe('v1')
    expect(await reads.read('a', load)).toBe('v1')
    stamps.domainBlocks += 1
    expect(await reads.read('a', load)).toBe('v1')
    stamps.documents += 1
    expect(await reads.read('a', load)).toBe('v2')
    expect(loads).toBe(2)
  })

  it('reads a missing value again every time, unless told to keep it', async () => {
    const { store } = storeWithStamps()
    let loads = 0
    const missing = async (): Promise<null> => { loads++; return null }
    const documents = new StampedReads<string>(store, 'documents')
    await documents.read('a', missing)
    await documents.read('a', missing)
    expect(loads).toBe(2)
    const blocks = new StampedReads<string>(store, 'domainBlocks', true)
    expect(await blocks.read('host', missing)).toBeNull()
    expect(await blocks.read('host', missing)).toBeNull()
    expect(loads).toBe(3)
  })

  it('does not keep a value loaded while the stamp moved: it may predate the write', async () => {
    const { store, stamps } = storeWithStamps()
    const reads = new StampedReads<string>(store, 'documents')
    let release!: () => void
    const slow = reads.read('a', async () => { await new Promise<void>(resolve => { release = resolve }); return 'old' })
    await new Promise(resolve => setImmediate(resolve))
    stamps.documents += 1
    // Another read under the new stamp begins while the first is still loading.
    expect(await reads.read('b', async () => 'b1')).toBe('b1')
    release()
    expect(await slow).toBe('old')
    expect(await reads.read('a', async () => 'new')).toBe('new')
  })
})
