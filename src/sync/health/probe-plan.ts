/**
 * Which probe suits a service, and what its answers mean. Pure: the prober does the HTTP.
 */
import type { HealthStatus } from '../../store/ports/health.port'

/** The probes the hub knows. */
export type ProbeKind = 'status.php' | 'nodeinfo' | 'wallabag' | 'http'

/** Software that serves NodeInfo (the fediverse servers co-ops run, and forges). */
const NODEINFO_SOFTWARE = /mastodon|peertube|pixelfed|funkwhale|forgejo|gitea|lemmy|misskey|pleroma|akkoma|gotosocial|friendica|mobilizon|writefreely|bookwyrm|diaspora|hubzilla|kbin|mbin|sharkey|iceshrimp|owncast|bonfire/

/** The probe for a service from its software's name. */
export function probeFor (softwareName: string | undefined): ProbeKind {
  const name = (softwareName ?? '').toLowerCase()
  if (/nextcloud|owncloud/.test(name)) return 'status.php'
  if (/wallabag/.test(name)) return 'wallabag'
  if (NODEINFO_SOFTWARE.test(name)) return 'nodeinfo'
  return 'http'
}

/** The URL a probe requests for a service at `serviceUrl`. */
export function probeUrl (kind: ProbeKind, serviceUrl: string): string {
  const base = serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`
  if (kind === 'status.php') return new URL('status.php', base).href
  if (kind === 'wallabag') return new URL('api/version', base).href
  if (kind === 'nodeinfo') return new URL('/.well-known/nodeinfo', serviceUrl).href
  return serviceUrl
}

/** A probe's verdict. */
export interface Verdict {
  status: HealthStatus
  detail: string | null
}

/** Reads an answer: `body` is the response text, `ms` how long it took. */
export function judge (kind: ProbeKind, answer: { status: number, body: string, ms: number }, slowMs: number): Verdict {
  const base = judgeAnswer(kind, answer)
  if (base.status === 'operational' && answer.ms > slowMs) {
    return { status: 'degraded', detail: `answered in ${answer.ms} ms (slower than ${slowMs} ms)` }
  }
  return base
}

function judgeAnswer (kind: ProbeKind, { status, body }: { status: number, body: string }): Verdict {
  if (status >= 500) return { status: 'down', detail: `answered ${status}` }
  if (kind === 'http') {
    // A members-only service asks for a login: it is up.
    if (status < 400 || status === 401 || status === 403) return { status: 'operational', detail: null }
    return { status: 'degraded', detail: `answered ${status}` }
  }
  if (status < 200 || status >= 300) return { status: 'degraded', detail: `${kind} answered ${status}` }
  let json: unknown
  try { json = JSON.parse(body) } catch { return { status: 'degraded', detail: `${kind} did not answer JSON` } }
  if (kind === 'status.php') {
    const s = json as { installed?: unknown, maintenance?: unknown, needsDbUpgrade?: unknown, versionstring?: unknown, productname?: unknown }
    if (s.installed === false) return { status: 'down', detail: 'not installed' }
    if (s.maintenance === true) return { status: 'degraded', detail: 'in maintenance mode' }
    if (s.needsDbUpgrade === true) return { status: 'degraded', detail: 'needs a database upgrade' }
    return { status: 'operational', detail: [s.productname, s.versionstring].filter(v => typeof v === 'string').join(' ') || null }
  }
  if (kind === 'wallabag') {
    return typeof json === 'string' ? { status: 'operational', detail: `wallabag ${json}` } : { status: 'degraded', detail: 'the version endpoint did not answer a version' }
  }
  const links = (json as { links?: unknown }).links
  return Array.isArray(links) && links.length > 0
    ? { status: 'operational', detail: null }
    : { status: 'degraded', detail: 'NodeInfo lists no document' }
}

/** Share of checks that found the service up (operational or degraded); null before any check. */
export function uptimeRatio (summary: { checks: number, operational: number, degraded: number }): number | null {
  if (summary.checks === 0) return null
  return Math.round(((summary.operational + summary.degraded) / summary.checks) * 10000) / 10000
}
