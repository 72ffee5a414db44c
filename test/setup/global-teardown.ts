/** jest global tear-down: stops the PostgreSQL server the set-up started, then removes the run's temporary folder. */
import fs from 'node:fs'
import postgresTeardown from '../postgres/global-teardown'
import { RUN_TMPDIR_HOLDER } from './run-tmpdir'

/** Undoes `global-setup.ts`. */
export default async function globalTeardown (): Promise<void> {
  try {
    await postgresTeardown()
  } finally {
    // Removed even when the PostgreSQL server would not stop.
    const holder = globalThis as Record<string, unknown>
    const folder = holder[RUN_TMPDIR_HOLDER]
    if (typeof folder === 'string') fs.rmSync(folder, { recursive: true, force: true })
    holder[RUN_TMPDIR_HOLDER] = undefined
  }
}
