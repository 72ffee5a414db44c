import fs from 'fs'
import os from 'os'
import path from 'path'
import { runCli } from '../../src/cli/main'

/** What a CLI command printed and its exit code. */
export interface CliResult {
  code: number
  output: string
}

/**
 * Gives each test of the calling suite a fresh DATA_DIR and the hub's environment (HUB_URL, plus
 * `extraEnv`), restored and removed after it. Answers the current DATA_DIR.
 */
export function useCliDataDir (extraEnv: Record<string, string> = {}): () => string {
  let dir = ''
  const saved = { ...process.env }
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-cli-'))
    process.env.DATA_DIR = dir
    process.env.HUB_URL = 'https://hub.example.coop'
    Object.assign(process.env, extraEnv)
    delete process.env.PORT
  })
  afterEach(() => {
    process.env = { ...saved }
    fs.rmSync(dir, { recursive: true, force: true })
  })
  return () => dir
}

/** Runs `ioocloud-hub <args>` in this process and collects what it prints. */
export async function runCliCapturing (...args: string[]): Promise<CliResult> {
  const lines: string[] = []
  const code = await runCli(args, line => lines.push(line))
  return { code, output: lines.join('\n') }
}
