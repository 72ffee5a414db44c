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
export function ensureAdminToken (tokens: TokenService, dataDir: string, fromEnv: string | null): AdminTokenOutcome {
  if (fromEnv) {
    if (!tokens.find(fromEnv)) tokens.register(fromEnv, ADMIN_SCOPE, 'HUB_ADMIN_TOKEN')
    return { source: 'environment' }
  }
  const file = path.join(dataDir, ADMIN_TOKEN_FILE)
  if (fs.existsSync(file)) {
    const token = fs.readFileSync(file, 'utf8').trim()
    if (!tokens.find(token)) tokens.register(token, ADMIN_SCOPE, 'generated admin token')
    return { source: 'file', file }
  }
  const token = newToken()
  // Written before it is registered: a crash in between leaves a file, never an unknown token.
  fs.writeFileSync(file, token + '\n', { mode: 0o600, flag: 'wx' })
  tokens.register(token, ADMIN_SCOPE, 'generated admin token')
  return { source: 'generated', token, file }
}
