import type { CoopUpdateRequest } from '../schemas/generated/coop-update'

/** What the hub knows of a co-op when it builds its actor document. */
export interface CoopProfile {
  username: string
  name: string
  summary?: string
  url?: string
  icon?: string
  followPolicy: 'automatic' | 'approval'
  location?: { name?: string, country?: string, latitude?: number, longitude?: number }
  languages?: string[]
}

/** Usernames that would shadow the hub's own names or confuse people. */
export const RESERVED_USERNAMES = new Set(['admin', 'actor', 'hub', 'api', 'inbox', 'outbox', 'ns', 'root', 'system', 'instance', 'nodeinfo', 'well_known'])

/** Why a username cannot be used, or null when it can. Shape is checked by the schema first. */
export function usernameProblem (username: string): string | null {
  return RESERVED_USERNAMES.has(username) ? `"${username}" is reserved by the hub; choose another` : null
}

/**
 * A co-op's profile after an edit: each field given replaces the one before, `null` removes
 * url, icon or location, an empty summary or language list clears it; the rest stays.
 */
export function applyProfilePatch (profile: CoopProfile, patch: CoopUpdateRequest): CoopProfile {
  const next: CoopProfile = { ...profile }
  if (patch.name !== undefined) next.name = patch.name
  if (patch.followPolicy !== undefined) next.followPolicy = patch.followPolicy
  if (patch.summary !== undefined) {
    if (patch.summary.trim()) next.summary = patch.summary
    else delete next.summary
  }
  if (patch.languages !== undefined) {
    if (patch.languages.length) next.languages = [...patch.languages]
    else delete next.languages
  }
  for (const key of ['url', 'icon'] as const) {
    const value = patch[key]
    if (value === null) delete next[key]
    else if (value !== undefined) next[key] = value
  }
  if (patch.location === null) delete next.location
  else if (patch.location !== undefined) next.location = { ...patch.location }
  return next
}
