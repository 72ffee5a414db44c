import type { CoopProfile } from '../../domain/coop'
import { numberOf } from '../../domain/activity-streams/nodes'
import { agreementsCollectionIri, fundingPoolsCollectionIri, ROUTES, servicesCollectionIri } from '../routes/route-paths'

/**
 * The co-op's actor: an `Organization` with the streams apex serves, its public key (keyId
 * `…#main-key`), the hub's collections, and the website as a `PropertyValue` so Mastodon shows it.
 */
export function buildCoopActor (hubUrl: string, profile: CoopProfile, publicKeyPem: string): Record<string, unknown> {
  const id = `${hubUrl}${ROUTES.actor.replace(':actor', profile.username)}`
  const stream = (path: string): string => `${hubUrl}${path.replace(':actor', profile.username)}`
  const actor: Record<string, unknown> = {
    id,
    type: 'Organization',
    preferredUsername: profile.username,
    name: profile.name,
    summary: profile.summary ?? '',
    url: profile.url ?? id,
    inbox: stream(ROUTES.inbox),
    outbox: stream(ROUTES.outbox),
    followers: stream(ROUTES.followers),
    following: stream(ROUTES.following),
    liked: stream(ROUTES.liked),
    endpoints: { sharedInbox: `${hubUrl}${ROUTES.sharedInbox}` },
    ...coopCollections(hubUrl, profile.username),
    manuallyApprovesFollowers: profile.followPolicy === 'approval',
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem },
    published: new Date().toISOString()
  }
  if (profile.icon) actor.icon = { type: 'Image', url: profile.icon }
  const place = placeOf(profile.location)
  if (place) actor.location = place
  if (profile.languages?.length) actor.knowsLanguage = profile.languages
  if (profile.url) {
    actor.attachment = [{ type: 'PropertyValue', name: 'Website', value: `<a href="${escapeAttr(profile.url)}" rel="me nofollow noopener" target="_blank">${escapeText(profile.url)}</a>` }]
  }
  return actor
}

/** The hub's collections on a co-op's actor (VOCABULARY.md): `ioo:services`, `ioo:fundingPools`, `ioo:agreements`. */
export function coopCollections (hubUrl: string, username: string): { services: string, fundingPools: string, agreements: string } {
  return {
    services: servicesCollectionIri(hubUrl, username),
    fundingPools: fundingPoolsCollectionIri(hubUrl, username),
    agreements: agreementsCollectionIri(hubUrl, username)
  }
}

/** The properties of the actor document that `buildCoopActor` derives from the profile. */
const PROFILE_PROPERTIES = ['name', 'summary', 'url', 'icon', 'location', 'knowsLanguage', 'attachment', 'manuallyApprovesFollowers']

/**
 * The profile an actor document (compacted JSON-LD, as `buildCoopActor` made it) says: the
 * inverse of `buildCoopActor`, so an edit can change one field and rebuild the rest as they were.
 */
export function coopProfileOf (doc: Record<string, unknown>, followPolicy: CoopProfile['followPolicy']): CoopProfile {
  const username = String(doc.preferredUsername)
  const profile: CoopProfile = { username, name: typeof doc.name === 'string' ? doc.name : username, followPolicy }
  if (typeof doc.summary === 'string' && doc.summary) profile.summary = doc.summary
  if (typeof doc.url === 'string' && doc.url !== doc.id) profile.url = doc.url
  const icon = doc.icon as { url?: unknown } | undefined
  if (icon && typeof icon.url === 'string') profile.icon = icon.url
  const place = doc.location as Record<string, unknown> | undefined
  if (place && typeof place === 'object') {
    const location: NonNullable<CoopProfile['location']> = {}
    if (typeof place.name === 'string') location.name = place.name
    if (typeof place.addressCountry === 'string') location.country = place.addressCountry
    const lat = numberOf(place.latitude)
    const lon = numberOf(place.longitude)
    if (lat !== undefined && lon !== undefined) {
      location.latitude = lat
      location.longitude = lon
    }
    if (Object.keys(location).length) profile.location = location
  }
  const languages = ([] as unknown[]).concat(doc.knowsLanguage ?? []).filter((l): l is string => typeof l === 'string')
  if (languages.length) profile.languages = languages
  return profile
}

/**
 * The actor document rebuilt from a new profile: id, keys and `published` kept, the collections
 * and profile fields rebuilt, any other property (added by a later version or another tool) kept.
 */
export function rebuildCoopActor (hubUrl: string, previous: Record<string, unknown>, profile: CoopProfile, now: string): Record<string, unknown> {
  const key = previous.publicKey as { publicKeyPem?: unknown } | undefined
  const built = buildCoopActor(hubUrl, profile, typeof key?.publicKeyPem === 'string' ? key.publicKeyPem : '')
  for (const [name, value] of Object.entries(previous)) {
    if (name === '@context' || PROFILE_PROPERTIES.includes(name)) continue
    if (!(name in built) || name === 'publicKey' || name === 'published') built[name] = value
  }
  built.updated = now
  return built
}

/** The co-op's location as an AS2 `Place` (with schema.org `addressCountry`), or undefined when empty. */
function placeOf (location: CoopProfile['location']): Record<string, unknown> | undefined {
  if (!location) return undefined
  const place: Record<string, unknown> = { type: 'Place' }
  if (location.name) place.name = location.name
  if (location.country) place.addressCountry = location.country
  if (location.latitude !== undefined && location.longitude !== undefined) {
    place.latitude = location.latitude
    place.longitude = location.longitude
  }
  return Object.keys(place).length > 1 ? place : undefined
}

/** The instance actor (FEP-2677): an `Application` that signs the hub's own fetches. */
export function buildInstanceActor (hubUrl: string, publicKeyPem: string): Record<string, unknown> {
  const id = `${hubUrl}${ROUTES.instanceActor}`
  const host = new URL(hubUrl).host
  return {
    id,
    type: 'Application',
    preferredUsername: host,
    name: `IoOCloud Hub at ${host}`,
    summary: 'The hub itself: it signs the requests this server makes. It publishes nothing.',
    url: hubUrl,
    inbox: `${hubUrl}${ROUTES.instanceInbox}`,
    outbox: `${id}/outbox`,
    manuallyApprovesFollowers: true,
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem }
  }
}

function escapeText (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function escapeAttr (s: string): string {
  return escapeText(s).replace(/"/g, '&quot;')
}
