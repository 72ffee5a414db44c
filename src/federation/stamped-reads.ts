import type { ChangeStamps, HubStore } from '../store/store.port'

/** How many values one cache keeps at most: every active peer's, with room to spare. */
const MAX_KEPT = 2000

/**
 * Reads the inbox makes on every request — the recipient, the sender's key document, the domain
 * blocks of a host — kept in memory while the store's change stamp of their kind stays the same
 * (`HubStore.changeStamps`: moved by every write of that kind, from any process). The stamp is
 * read before the value, so a write landing between the two leaves the value kept under the older
 * stamp, and the next read loads it again. Kept values are shared between requests: a caller
 * copies what it would change.
 */
export class StampedReads<V> {
  private readonly kept = new Map<string, V>()
  private stampOfKept: number | null = null

  /** `keepMissing`: whether a null answer is kept too (a host without a block), or always read again. */
  constructor (private readonly store: HubStore, private readonly kind: keyof ChangeStamps, private readonly keepMissing = false) {}

  /** The value under `key`: the kept one while nothing of its kind changed, else `load`'s answer. */
  read (key: string, load: () => Promise<V | null>): Promise<V | null> {
    // A chain rather than an async function: this runs several times per inbox request.
    return this.store.changeStamps().then(stamps => {
      const stamp = stamps[this.kind]
      if (stamp !== this.stampOfKept) {
        // Something of this kind changed: nothing kept under the older stamp can be trusted.
        this.kept.clear()
        this.stampOfKept = stamp
      }
      if (this.kept.has(key)) return this.kept.get(key) as V
      return load().then(value => this.keep(key, value, stamp))
    })
  }

  /** Keeps a loaded value (a null one only when told to), unless its kind changed while it loaded. */
  private keep (key: string, value: V | null, stamp: number): V | null {
    if (value === null && !this.keepMissing) return null
    if (this.stampOfKept === stamp) {
      if (this.kept.size >= MAX_KEPT) this.kept.delete(this.kept.keys().next().value as string)
      this.kept.set(key, value as V)
    }
    return value
  }
}
