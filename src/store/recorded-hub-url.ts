import { ConfigError } from '../errors/config-error'
import type { HubStore } from './store.port'

/** The settings key under which a hub's store keeps the HUB_URL it was first started with. */
export const HUB_URL_SETTING = 'hub_url'

/** The HUB_URL this store was first started with, or null for a store no hub has started on yet. */
export async function recordedHubUrl (store: HubStore): Promise<string | null> {
  return await store.getSetting(HUB_URL_SETTING)
}

/**
 * Records `hubUrl` in a store that has none yet, and refuses one that differs from the recorded
 * one: every actor id in the store starts with the recorded URL, and a hub (or CLI command)
 * running under another one would create actors whose ids point at the wrong place. Processes
 * claiming at the same moment on one store: the first one's URL is recorded.
 */
export async function claimHubUrl (store: HubStore, hubUrl: string): Promise<void> {
  // One insert-if-absent: of processes starting at once on a shared database with different URLs,
  // the first records its URL and every other is refused (a read then a write let both pass).
  const recorded = await store.claimSetting(HUB_URL_SETTING, hubUrl)
  if (recorded !== hubUrl) throw hubUrlMismatch(hubUrl, recorded)
}

/** The refusal when the configured URL is not the recorded one: both URLs and the fix. */
export function hubUrlMismatch (configured: string, recorded: string): ConfigError {
  return new ConfigError('HUB_URL', `is ${configured} (set, or derived from PORT), but this hub's database (DATA_DIR) was set up for ${recorded}: its actor ids point there. ` +
    `Set HUB_URL=${recorded} to run this hub, or use another DATA_DIR for a new hub.`)
}
