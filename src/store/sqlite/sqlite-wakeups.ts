import type { StoreWakeups, WakeupTopic } from '../ports/wakeups.port'

/**
 * SQLite has no channel between processes: a process's own queueing wakes its workers directly
 * (not through the store), and work queued by another process is found by polling on every
 * heartbeat. Listening here therefore registers nothing.
 */
export class SqliteWakeups implements StoreWakeups {
  readonly acrossProcesses = false

  /** Nothing to listen to: work queued by other processes is found by polling. */
  async listen (_topic: WakeupTopic, _onWake: () => void): Promise<void> {}

  /** Nothing to close. */
  async close (): Promise<void> {}
}
