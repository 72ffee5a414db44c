import { buildCoopActor } from '../federation/actors/coop-actor'
import type { MembershipPolicy } from '../store/ports/umbrella.port'

/** What the hub knows of an umbrella when it builds its actor document. */
export interface UmbrellaProfile {
  username: string
  name: string
  summary?: string
  url?: string
  membershipPolicy: MembershipPolicy
}

/** The umbrella's own collections (`ioo:members`, `ioo:projects`, `ioo:decisions`). */
export function umbrellaCollections (hubUrl: string, username: string): { members: string, projects: string, decisions: string } {
  const base = `${hubUrl}/u/${username}`
  return { members: `${base}/members`, projects: `${base}/projects`, decisions: `${base}/decisions` }
}

/**
 * The umbrella's actor: a co-op's actor (streams, keys, shared inbox, pool collections: it can
 * steward pools) typed `Group` for FEP-1b12 readers and `ioo:Umbrella` for hubs, with its member,
 * project and decision collections and its membership policy. Follows are accepted at once.
 */
export function buildUmbrellaActor (hubUrl: string, profile: UmbrellaProfile, publicKeyPem: string): Record<string, unknown> {
  const actor = buildCoopActor(hubUrl, { username: profile.username, name: profile.name, summary: profile.summary, url: profile.url, followPolicy: 'automatic' }, publicKeyPem)
  return { ...actor, type: ['Group', 'ioo:Umbrella'], ...umbrellaCollections(hubUrl, profile.username), membershipPolicy: profile.membershipPolicy }
}

/**
 * The actor document after an edit of name, summary or policy: everything else (id, keys,
 * published, collections, any property another version added) kept as it was.
 */
export function rebuildUmbrellaActor (previous: Record<string, unknown>, change: { name?: string, summary?: string, membershipPolicy?: MembershipPolicy }, now: string): Record<string, unknown> {
  const doc: Record<string, unknown> = { ...previous, updated: now }
  if (change.name !== undefined) doc.name = change.name
  if (change.summary !== undefined) doc.summary = change.summary
  if (change.membershipPolicy !== undefined) doc.membershipPolicy = change.membershipPolicy
  return doc
}
