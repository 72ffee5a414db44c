import { StampedReads } from '../../src/federation/stamped-reads'
import type { ChangeStamps, HubStore } from '../../src/store/store.port'

/** A store whose stamps the test moves by hand, and says whether it can answer them at once. */
function storeWithStamps (): { store: HubStore, stamps: ChangeStamps, atOnce: { yes: boolean } } {
  const stamps: ChangeStamps = { documents: 1, domainBlocks: 1, blockedCollections: 1 }
  const atOnce = { yes: true }
  const store = { changeStamps: async () => ({ ...stamps }), changeStampsNow: () => atOnce.yes ? { ...stamps } : null }
  return { store: store as unknown as HubStore, stamps, atOnce }
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

  it('keeps a value read from several kinds while none of their stamps moves', async () => {
    const { store, stamps } = storeWithStamps()
    const reads = new StampedReads<string>(store, ['documents', 'blockedCollections'])
    let loads = 0
    const load = async (): Promise<string> => `v${++loads}`
    expect(await reads.read('a', load)).toBe('v1')
    stamps.domainBlocks += 1
    expect(await reads.read('a', load)).toBe('v1')
    stamps.blockedCollections += 1
    expect(await reads.read('a', load)).toBe('v2')
    stamps.documents += 1
    expect(await reads.read('a', load)).toBe('v3')
    expect(await reads.read('a', load)).toBe('v3')
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

  it('answers a kept value at once while its stamp is unchanged, and nothing it cannot vouch for', async () => {
    const { store, stamps, atOnce } = storeWithStamps()
    const reads = new StampedReads<string>(store, 'documents')
    expect(reads.readNow('a')).toBeUndefined()
    expect(await reads.read('a', async () => 'v1')).toBe('v1')
    expect(reads.readNow('a')).toBe('v1')
    expect(reads.readNow('b')).toBeUndefined()
    // A store that cannot read its stamps at once (a transaction of another caller open): no answer.
    atOnce.yes = false
    expect(reads.readNow('a')).toBeUndefined()
    atOnce.yes = true
    stamps.documents += 1
    expect(reads.readNow('a')).toBeUndefined()
    // What was kept under the older stamp is gone: `read` loads it again.
    expect(await reads.read('a', async () => 'v2')).toBe('v2')
    expect(reads.readNow('a')).toBe('v2')
  })

  it('answers a kept "none" at once as null, and a value of several kinds until any of them moves', async () => {
    const { store, stamps } = storeWithStamps()
    const blocks = new StampedReads<string>(store, 'domainBlocks', true)
    expect(await blocks.read('host', async () => null)).toBeNull()
    expect(blocks.readNow('host')).toBeNull()
    const recipients = new StampedReads<string>(store, ['documents', 'blockedCollections'])
    expect(await recipients.read('r', async () => 'kept')).toBe('kept')
    stamps.domainBlocks += 1
    expect(recipients.readNow('r')).toBe('kept')
    stamps.blockedCollections += 1
    expect(recipients.readNow('r')).toBeUndefined()
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
