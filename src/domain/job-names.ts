/** The hub's scheduled jobs, by the name people use in the API, the CLI and the configuration. */
export const JOB_NAMES = ['directories', 'siblings', 'health', 'expiry'] as const
export type JobName = typeof JOB_NAMES[number]

/** True when `name` is one of the hub's jobs. */
export function isJobName (name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name)
}
