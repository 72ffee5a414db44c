import crypto from 'crypto'
import type { HubStore, TokenRecord } from '../store/store.port'

/** The scope of the admin token: it acts for every co-op. */
export const ADMIN_SCOPE = '*'

/** Hash under which a token is stored; the token itself is never kept. */
export function hashToken (token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex')
}

/** The settings key holding the hash of the admin token a hub process generated for a shared store. */
export const GENERATED_ADMIN_SETTING = 'generated_admin_token'

/** A new random token, prefixed so people recognise it in a config file. */
export function newToken (): string {
  return `ioo_${crypto.randomBytes(32).toString('base64url')}`
}

/** Issues and checks API tokens. */
export class TokenService {
  constructor (private readonly store: HubStore) {}

  /** Creates a token for `scope` (an actor id, or `*` for the admin) and returns it in clear, once. */
  async issue (scope: string, label: string): Promise<string> {
    const token = newToken()
    await this.register(token, scope, label)
    return token
  }

  /** Stores the hash of a token chosen elsewhere (the admin's HUB_ADMIN_TOKEN). */
  async register (token: string, scope: string, label: string): Promise<void> {
    await this.store.saveToken({ hash: hashToken(token), scope, label, createdAt: new Date().toISOString() })
  }

  /**
   * Makes `token` the generated admin token of the store unless another process's is already:
   * true when `token` is (now) that one. Only the token's hash is kept.
   */
  async claimGeneratedAdmin (token: string): Promise<boolean> {
    const hash = hashToken(token)
    return await this.store.claimSetting(GENERATED_ADMIN_SETTING, hash) === hash
  }

  /** The record of a presented token, or null when it is unknown. */
  async find (token: string): Promise<TokenRecord | null> {
    return await this.store.findToken(hashToken(token))
  }
}
