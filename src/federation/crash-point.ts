/**
 * Fault injection for the crash-safety tests: a hub started with `HUB_TEST_KILL_AT=<point>`
 * kills itself with SIGKILL when it reaches `<point>`, so a test can crash it at an exact step
 * (no shutdown code runs, as in a power cut of the process). Unset, it does nothing.
 */

/**
 * Points where a test may crash the hub: a publish about to be stored (`outbox-storing`),
 * stored with no delivery queued yet (`outbox-stored`), or with the first page of its audience
 * queued and the rest not yet (`outbox-page-queued`).
 */
export type CrashPoint = 'outbox-storing' | 'outbox-stored' | 'outbox-page-queued'

/** Kills this process (SIGKILL) when HUB_TEST_KILL_AT names `point`. */
export function crashPoint (point: CrashPoint): void {
  if (process.env.HUB_TEST_KILL_AT === point) process.kill(process.pid, 'SIGKILL')
}
