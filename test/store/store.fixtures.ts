/** Builders and helpers shared by the storage contract suites. */
import type { ApexNode, Delivery, DeliveryWait, HubStore, ServiceRecord } from '../../src/store/store.port'

/** Gives the current test's store (opened in `beforeEach`). */
export type StoreRef = () => HubStore

/** Builders for apex-shaped nodes (compacted JSON-LD, arrays not unboxed). */
export const fixtures = {
  base: 'https://hub.test',
  /** An actor; `local` gives it a private key in `_meta`, which makes it a local actor. */
  actor (name: string, options: { local?: boolean, type?: string, host?: string } = {}): ApexNode {
    const id = `${options.host ?? 'https://hub.test'}/u/${name}`
    const node: ApexNode = {
      id,
      type: options.type ?? 'Person',
      preferredUsername: [name],
      inbox: [`${id}/inbox`],
      outbox: [`${id}/outbox`],
      followers: [`${id}/followers`]
    }
    if (options.local === true) node._meta = { privateKey: `PRIVATE-KEY-${name}`, blocked: [] }
    return node
  },
  /** A Note attributed to `actorId`. */
  note (n: number, actorId: string, content = `note ${n}`): ApexNode {
    return { id: `https://hub.test/o/${n}`, type: 'Note', attributedTo: [actorId], content: [content] }
  },
  /** An activity in `collections`; `object` is stored as given (IRI or embedded node). */
  activity (n: number, type: string, actorId: string, object: unknown, collections: string[] = []): ApexNode {
    return {
      id: `https://hub.test/s/${n}`,
      type,
      actor: [actorId],
      object: [object],
      to: ['https://www.w3.org/ns/activitystreams#Public'],
      _meta: { collection: collections }
    }
  },
  service (id: string, over: Partial<ServiceRecord> = {}): ServiceRecord {
    return {
      id: `https://hub.test/services/${id}`,
      actorId: 'https://hub.test/u/alpha',
      category: 'storage',
      local: true,
      object: { id: `https://hub.test/services/${id}`, type: 'Service', name: [id] },
      updatedAt: '2024-01-01T00:00:00.000Z',
      ...over
    }
  }
}

/** Narrows a dequeue answer to a claimed delivery, failing the test otherwise. */
export function claimed (answer: Delivery | DeliveryWait | null): Delivery {
  if (answer === null || 'waitUntil' in answer) throw new Error(`expected a delivery, got ${JSON.stringify(answer)}`)
  return answer
}

/** Narrows a dequeue answer to a wait, failing the test otherwise. */
export function waiting (answer: Delivery | DeliveryWait | null): Date {
  if (answer === null || !('waitUntil' in answer)) throw new Error(`expected a wait, got ${JSON.stringify(answer)}`)
  return answer.waitUntil
}


/** A node as the store answers it without `includeMeta`. */
export function withoutMeta<T extends { _meta?: unknown }> (node: T): Omit<T, '_meta'> {
  const copy = { ...node }
  delete copy._meta
  return copy
}

/**
 * What `work` threw or rejected with; fails when it did not. Errors from the native SQLite addon
 * may come from another jest sandbox's realm, where `toThrow()` does not recognise them as Errors.
 */
export async function rejectionOf (work: () => unknown): Promise<unknown> {
  try {
    await work()
  } catch (err) {
    return err ?? new Error('rejected with nothing')
  }
  throw new Error('expected the call to fail, but it succeeded')
}
