/**
 * The `expiry` job: asks each registered expirer (funding pools, member-exchange agreements) to
 * close what is past its end. The pool and agreement services own those rules; this job only
 * runs them on schedule, under the lease, with a history.
 */
import { Job, JobContext, JobOutput, outputOfParts } from '../scheduler/job'

/** Something with an end date that the hub closes once it has passed. */
export interface Expirer {
  /** What it expires, e.g. `pools`. */
  label: string
  /** Closes (and federates) everything past its end at `now` (ISO); answers how many it closed of how many it looked at. */
  expireDue(now: string): Promise<{ expired: number, checked: number }>
}

/** The expiry job over the expirers registered when the hub starts. */
export function expiryJob (expirers: readonly Expirer[], now: () => number = Date.now): Job {
  return {
    name: 'expiry',
    description: 'Expire funding pools and agreements past their end',
    async run (context: JobContext): Promise<JobOutput> {
      const details: Array<{ label: string, expired: number, checked: number, error?: string }> = []
      for (const [i, expirer] of expirers.entries()) {
        context.progress({ done: i, total: expirers.length, label: expirer.label })
        try {
          details.push({ label: expirer.label, ...await expirer.expireDue(new Date(now()).toISOString()) })
        } catch (err) {
          details.push({ label: expirer.label, expired: 0, checked: 0, error: (err as Error).message })
        }
      }
      context.progress({ done: expirers.length, total: expirers.length, label: 'done' })
      return outputOfParts(details, d => ({ changed: d.expired, unchanged: d.checked - d.expired }), d => d.error ? `${d.label}: ${d.error}` : null)
    }
  }
}
