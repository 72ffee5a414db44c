import type { SourceKind } from './directory-entry'

/** Local parts of shared mailboxes: an address made of one of these names no person. */
const ROLE_LOCAL_PARTS = new Set([
  'admin', 'contact', 'hello', 'help', 'info', 'mail', 'members', 'membership', 'office', 'support',
  'team', 'kontakt', 'bonjour', 'hola', 'coop', 'cooperative', 'abuse', 'postmaster', 'webmaster', 'join'
])

/** True when the address is a role mailbox (info@, contact@ …), not a person's. */
export function isRoleAddress (email: string): boolean {
  const at = email.lastIndexOf('@')
  if (at <= 0) return false
  return ROLE_LOCAL_PARTS.has(email.slice(0, at).toLowerCase())
}

/**
 * The e-mail address the directory may republish: only a role address that a co-op of this
 * hub gave itself. Anything imported or federated is never republished (it may be a person's).
 */
export function publishableEmail (email: string | undefined, kind: SourceKind): string | undefined {
  if (!email || kind !== 'local') return undefined
  return isRoleAddress(email) ? email : undefined
}
