/** What a scheduled job is to the runner: a name and a `run` that reports counts. */
import type { JobCounts, JobTrigger } from '../../store/ports/jobs.port'
import type { JobName } from './job-names'

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

/** A job the scheduler can run. */
export interface Job {
  name: JobName
  description: string
  run(context: JobContext): Promise<JobOutput>
}
