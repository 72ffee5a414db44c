/**
 * jest global set-up: the PostgreSQL server the PostgreSQL tests share (`../postgres/global-setup.ts`),
 * then one temporary folder for the whole run. Every temporary file and folder the tests make
 * (data directories, keys, copies of stores) goes under it (`TMPDIR`, which `os.tmpdir()` reads
 * and the workers inherit; the hub processes they start get their data directories there), and
 * the tear-down removes it, so a run leaves nothing behind in the system's temporary folder.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgresSetup from '../postgres/global-setup'
import { RUN_TMPDIR_HOLDER } from './run-tmpdir'

/** Starts what the run shares; jest runs it once, before any worker. */
export default async function globalSetup (globalConfig: { rootDir: string, testPathPattern?: string }): Promise<void> {
  // The throwaway cluster's folder is made first, in the system's temporary folder, where its
  // own user can reach it (the run's folder below is readable by this user only).
  await postgresSetup(globalConfig)
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-hub-tests-'))
  ;(globalThis as Record<string, unknown>)[RUN_TMPDIR_HOLDER] = folder
  process.env.TMPDIR = folder
}
