import fs from 'fs'
import path from 'path'
import { ConfigError } from '../errors/config-error'
import { ADMIN_SCOPE, TokenService, newToken } from './token.service'

/** Name of the file in DATA_DIR that holds a generated admin token. */
export const ADMIN_TOKEN_FILE = 'admin-token'

/** What happened to the admin token at start-up, for the start-up message. */
export type AdminTokenOutcome =
  | { source: 'environment' }
  | { source: 'generated', token: string, file: string }
  | { source: 'file', file: string }

/** Where the admin token is kept: `sharedStore` when other machines' processes use the same store (PostgreSQL). */
export interface AdminTokenOptions { sharedStore?: boolean }

/**
 * Makes sure an admin token works: the one in HUB_ADMIN_TOKEN, or one generated on first start
 * and stored in DATA_DIR readable by the owner only (the caller prints it once). On a shared
 * store one token is generated for all processes: a process whose DATA_DIR lacks it is refused
 * rather than adding another never-expiring admin token.
 */
export async function ensureAdminToken (tokens: TokenService, dataDir: string, fromEnv: string | null, options: AdminTokenOptions = {}): Promise<AdminTokenOutcome> {
  if (fromEnv) {
    await registerOnce(tokens, fromEnv, 'HUB_ADMIN_TOKEN')
    return { source: 'environment' }
  }
  const shared = options.sharedStore === true
  const file = path.join(dataDir, ADMIN_TOKEN_FILE)
  if (fs.existsSync(file)) {
    const token = fs.readFileSync(file, 'utf8').trim()
    if (shared) {
      const claimed = await tokens.claimGeneratedAdmin(token)
      // A token the store knows keeps working (also one each machine generated before this rule).
      if (!claimed && !(await tokens.find(token))) throw anotherProcessGenerated(dataDir)
    }
    await registerOnce(tokens, token, 'generated admin token')
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
    return await ensureAdminToken(tokens, dataDir, fromEnv, options)
  } finally {
    fs.rmSync(aside, { force: true })
  }
  if (shared && !(await tokens.claimGeneratedAdmin(token))) {
    fs.rmSync(file, { force: true })
    throw anotherProcessGenerated(dataDir)
  }
  await registerOnce(tokens, token, 'generated admin token')
  return { source: 'generated', token, file }
}

/** The refusal of a second generated admin token on a shared store, with the two ways on. */
function anotherProcessGenerated (dataDir: string): ConfigError {
  return new ConfigError('HUB_ADMIN_TOKEN', `is not set, and another hub process on this database (HUB_DATABASE_URL) already generated the admin token, ` +
    `kept in the ${ADMIN_TOKEN_FILE} file of its DATA_DIR. Set HUB_ADMIN_TOKEN to that token on every process, or copy that file into ${dataDir} (mode 600), ` +
    'then start again: a process does not add a second admin token to a shared database')
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
