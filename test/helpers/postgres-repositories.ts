/**
 * The PostgreSQL repositories and delivery queue of one hub process, on a pool, shaped as the
 * store contracts use them (until the PostgreSQL store itself is assembled).
 */
import type { PostgresDatabase } from '../../src/store/postgres/postgres-database'
import type { ApexNode } from '../../src/store/store.port'
import { PostgresApexDocuments } from '../../src/store/postgres/postgres.apex-documents'
import { PostgresDeliveryQueue } from '../../src/store/postgres/postgres.delivery-queue'
import { PostgresDeliveryControlRepository } from '../../src/store/postgres/postgres.delivery-control.repository'
import { PostgresDomainBlockRepository } from '../../src/store/postgres/postgres.domain-blocks.repository'
import { PostgresInboxJournalRepository } from '../../src/store/postgres/postgres.inbox-journal.repository'
import { PostgresOutboxRepository } from '../../src/store/postgres/postgres.outbox.repository'
import { PostgresProcessRepository } from '../../src/store/postgres/postgres.processes.repository'

/** A delivery lease as long as the SQLite store's default. */
const LEASE_MS = 60_000

/** One process's repositories and queue; `processId` owns its leases and claims. */
export function postgresRepositories (db: PostgresDatabase, processId: string, now: () => number = Date.now) {
  const queue = new PostgresDeliveryQueue(db, now, LEASE_MS, processId)
  const documents = new PostgresApexDocuments(db, now)
  const refuse = async (): Promise<never> => { throw new Error('apex documents are not part of this test') }
  return {
    processes: new PostgresProcessRepository(db, processId, now),
    domainBlocks: new PostgresDomainBlockRepository(db, now),
    inboxJournal: new PostgresInboxJournalRepository(db, now),
    deliveryControl: new PostgresDeliveryControlRepository(db, now),
    outbox: new PostgresOutboxRepository(db, { saveObject: refuse, replaceObject: refuse, saveActivity: refuse, applyRecord: refuse }, now, LEASE_MS, processId),
    queue,
    getObject: async (id: string, includeMeta?: boolean) => await documents.getObject(id, includeMeta),
    getActivity: async (id: string, includeMeta?: boolean) => await documents.getActivity(id, includeMeta),
    removeActivity: async (activity: { id: string }, actorId: string) => await documents.removeActivity(activity, actorId),
    updateObject: async (object: ApexNode, actorId: string | null, fullReplace: boolean) => await documents.updateObject(object, actorId, fullReplace),
    updateActivityMeta: async (activity: { id: string }, key: string, value: unknown, remove?: boolean) => await documents.updateActivityMeta(activity, key, value, remove),
    deliveryEnqueue: async (actorId: string, body: string, addresses: string | string[]) => await queue.enqueue(actorId, body, addresses),
    deliveryDequeue: async () => await queue.dequeue(),
    deliveryReschedule: async (id: number, at: Date, error: string) => { await queue.rescheduleAt(id, at, error) },
    deliveryComplete: async (ids: number | readonly number[]) => { await queue.complete(ids) },
    deliveryFail: async (id: number, reason: string) => { await queue.fail(id, reason) },
    deliveryQueueSize: async () => await queue.queueSize(),
    listDeliveryFailures: async (limit: number) => await queue.listFailures(limit),
    close: async () => {}
  }
}

