/** Reads a server's NodeInfo (`/.well-known/nodeinfo`, then the newest 2.x document it links). */
import type { OutboundClient } from '../../federation/http/outbound-client'

const NODEINFO_REL = /^https?:\/\/nodeinfo\.diaspora\.software\/ns\/schema\/2\.(\d)$/

/** A server's NodeInfo document and software, or null when it publishes none. */
export interface NodeInfo {
  document: Record<string, unknown>
  software: { name: string, version?: string } | null
}

/** Fetches the NodeInfo of the server at `origin`; null when it has none (404 or no 2.x link). */
export async function fetchNodeInfo (client: OutboundClient, origin: string, timeoutMs: number): Promise<NodeInfo | null> {
  const index = await client.request(`${origin}/.well-known/nodeinfo`, { accept: 'application/json', timeoutMs, maxBytes: 64 * 1024 })
  if (index.status === 404 || index.status === 410) return null
  if (index.status < 200 || index.status >= 300) throw new Error(`${index.url} answered ${index.status}`)
  const links = (JSON.parse(index.body) as { links?: Array<{ rel?: string, href?: string }> }).links ?? []
  const best = links
    .map(l => ({ href: l.href, minor: Number(NODEINFO_REL.exec(l.rel ?? '')?.[1] ?? -1) }))
    .filter(l => l.minor >= 0 && typeof l.href === 'string')
    .sort((a, b) => b.minor - a.minor)[0]
  if (!best) return null
  const doc = await client.getDocument(new URL(best.href as string, origin).href, { accept: 'application/json', timeoutMs, maxBytes: 256 * 1024 })
  const document = JSON.parse(doc.body) as Record<string, unknown>
  const software = document.software as { name?: unknown, version?: unknown } | undefined
  return {
    document,
    software: typeof software?.name === 'string'
      ? { name: software.name, ...(typeof software.version === 'string' ? { version: software.version } : {}) }
      : null
  }
}
