/**
 * Waiting for an in-process hub to finish what earlier requests set going, before a test compares
 * database snapshots: inbound handlers and their journal entries, audience resolutions, deliveries.
 */
import type { HubContext } from '../../src/hub-context'

/** Resolves once nothing is in flight; throws after `timeoutMs` saying what is still queued. */
export async function waitForQuietHub (hub: HubContext, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    await hub.inbox.idle()
    await hub.journal.idle()
    const resolutions = await hub.store.outbox.pendingResolutions()
    const deliveries = await hub.store.deliveryQueueSize()
    if (resolutions === 0 && deliveries === 0) return
    if (Date.now() > deadline) throw new Error(`the hub was still busy after ${timeoutMs} ms: ${resolutions} audience resolutions and ${deliveries} deliveries queued`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
