import { ROUTES, servicesCollectionIri } from '../routes/route-paths'

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
    services: servicesCollectionIri(hubUrl, profile.username),
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
