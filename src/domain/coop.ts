/** Usernames that would shadow the hub's own names or confuse people. */
export const RESERVED_USERNAMES = new Set(['admin', 'actor', 'hub', 'api', 'inbox', 'outbox', 'ns', 'root', 'system', 'instance', 'nodeinfo', 'well_known'])

/** Why a username cannot be used, or null when it can. Shape is checked by the schema first. */
export function usernameProblem (username: string): string | null {
  return RESERVED_USERNAMES.has(username) ? `"${username}" is reserved by the hub; choose another` : null
}
