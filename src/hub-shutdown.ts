import type { HubContext } from './hub-context'
import type { ProcessPresence } from './processes/process-presence'

/**
 * Stops a hub's work in the order that loses nothing: no new beats, no new requests
 * (`closeRequests`), the signature thread, the scheduler and workers stopped, inbound handlers and the journal entries
 * they finished closed, the process deregistered, and only then the store.
 */
export async function stopHub (hub: HubContext, presence: ProcessPresence, closeRequests: () => Promise<void>): Promise<void> {
  await presence.pause()
  await closeRequests()
  await hub.signatures.stop()
  await hub.sync.scheduler.stop()
  await hub.sync.catchUp.stop()
  await hub.delivery.stop()
  await hub.inbox.idle()
  await hub.journal.idle()
  await presence.leave()
  await hub.client.close()
  await hub.store.shutdown()
}
