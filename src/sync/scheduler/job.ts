/** What a scheduled job is to the runner: a name and a `run` that reports counts. */
import type { JobCounts, JobTrigger } from '../../store/ports/jobs.port'
import { addCounts } from './job-counts'
import type { JobName } from '../../domain/job-names'

/** Progress of a run, for the CLI's progress bar. */
export interface JobProgress {
  done: number
  total: number
  /** What is being worked on, e.g. a source's id. */
  label: string
}

/** What a job gets when it runs. */
export interface JobContext {
  trigger: JobTrigger
  progress: (progress: JobProgress) => void
  /** Job-specific options from the person who started it (e.g. one source only). */
  options: Record<string, string>
}

/** How a job's run went. */
export interface JobOutput {
  outcome: 'succeeded' | 'partial' | 'failed'
  counts: JobCounts
  error: string | null
  details: unknown[]
}

/**
 * The output of a job made of independent parts (sources, siblings, expirers): the parts' counts
 * added up; `succeeded` when no part failed, `failed` when every part did, `partial` otherwise;
 * the failures joined as the error. `failureOf` says why a part failed, or null.
 */
export function outputOfParts<T> (parts: T[], countsOf: (part: T) => Partial<JobCounts>, failureOf: (part: T) => string | null): JobOutput {
  const failures = parts.map(failureOf).filter((f): f is string => f !== null)
  return {
    outcome: failures.length === 0 ? 'succeeded' : failures.length === parts.length ? 'failed' : 'partial',
    counts: addCounts(...parts.map(countsOf)),
    error: failures.length ? failures.join('; ') : null,
    details: parts
  }
}

/** A job the scheduler can run. */
export interface Job {
  name: JobName
  description: string
  run(context: JobContext): Promise<JobOutput>
}
