import fs from 'fs'
import path from 'path'
import { ADMIN_SCOPE, TokenService, newToken } from './token.service'

/** Name of the file in DATA_DIR that holds a generated admin token. */
export const ADMIN_TOKEN_FILE = 'admin-token'

/** What happened to the admin token at start-up, for the start-up message. */
export type AdminTokenOutcome =
  | { source: 'environment' }
  | { source: 'generated', token: string, file: string }
  | { source: 'file', file: string }

/**
 * Makes sure an admin token works: the one in HUB_ADMIN_TOKEN, or one generated on first start
 * and stored in DATA_DIR readable by the owner only (the caller prints it once).
 */
export async function ensureAdminToken (tokens: TokenService, dataDir: string, fromEnv: string | null): Promise<AdminTokenOutcome> {
  if (fromEnv) {
    await registerOnce(tokens, fromEnv, 'HUB_ADMIN_TOKEN')
    return { source: 'environment' }
  }
  const file = path.join(dataDir, ADMIN_TOKEN_FILE)
  if (fs.existsSync(file)) {
    await registerOnce(tokens, fs.readFileSync(file, 'utf8').trim(), 'generated admin token')
    return { source: 'file', file }
  }
  const token = newToken()
  // Written before it is registered: a crash in between leaves a file, never an unknown token.
  // Written aside and linked into place, so a process starting alongside never reads it half-written.
  const aside = `${file}.${process.pid}.tmp`
  fs.writeFileSync(aside, token + '\n', { mode: 0o600 })
  // The mode given above is reduced by the umask; set it exactly.
  fs.chmodSync(aside, 0o600)
  try {
    fs.linkSync(aside, file)
  } catch (err) {
    // Another hub process starting on the same DATA_DIR wrote it first: that one is the token.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return await ensureAdminToken(tokens, dataDir, fromEnv)
  } finally {
    fs.rmSync(aside, { force: true })
  }
  await registerOnce(tokens, token, 'generated admin token')
  return { source: 'generated', token, file }
}

/** Registers the admin token unless it is known; another process registering it at the same moment is no error. */
async function registerOnce (tokens: TokenService, token: string, label: string): Promise<void> {
  if (await tokens.find(token)) return
  try {
    await tokens.register(token, ADMIN_SCOPE, label)
  } catch (err) {
    if (!(await tokens.find(token))) throw err
  }
}
