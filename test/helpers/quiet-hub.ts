/**
 * Waiting for an in-process hub to finish what earlier requests set going, before a test compares
 * database snapshots: inbound activities not yet finished (their journal entries, from the claim
 * to the end of their handlers, apex's after-answer work included), inbound handlers, audience
 * resolutions, deliveries.
 */
import type { HubContext } from '../../src/hub-context'
import { snapshotDatabase } from './db-snapshot'

/** Resolves once nothing is in flight; throws after `timeoutMs` saying what is still queued. */
export async function waitForQuietHub (hub: HubContext, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    await hub.inbox.idle()
    await hub.journal.idle()
    const inbound = (await hub.store.inboxJournal.listPending(100)).length
    const resolutions = await hub.store.outbox.pendingResolutions()
    const deliveries = await hub.store.deliveryQueueSize()
    if (inbound === 0 && resolutions === 0 && deliveries === 0) return
    if (Date.now() > deadline) {
      throw new Error(`the hub was still busy after ${timeoutMs} ms: ${inbound} inbound activities unfinished, ${resolutions} audience resolutions and ${deliveries} deliveries queued`)
    }
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

/**
 * `waitForQuietHub`, then until the SQLite file in `dataDir` reads the same twice over a quiet
 * pause: for tests that compare whole-database snapshots and must not take one mid-write.
 */
export async function waitForStillHub (hub: HubContext, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  for (;;) {
    await waitForQuietHub(hub, Math.max(1, deadline - Date.now()))
    const now = JSON.stringify(snapshotDatabase(hub.config.dataDir))
    if (now === last) return
    if (Date.now() > deadline) throw new Error(`the hub's database was still changing after ${timeoutMs} ms`)
    last = now
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}
