/** Places the co-ops of the network picture on a circle and joins the parties of each agreement. */

/** A co-op in the picture. */
export interface NetworkNode {
  key: string
  label: string
  href?: string
}

/** One active agreement: every pair of its parties gets a line. */
export interface NetworkLink {
  parties: string[]
  label: string
}

/** Node positions and line segments, in SVG units. */
export interface NetworkLayout {
  width: number
  height: number
  nodes: Array<NetworkNode & { x: number, y: number, anchor: 'start' | 'end' | 'middle', labelX: number, labelY: number }>
  lines: Array<{ x1: number, y1: number, x2: number, y2: number, label: string }>
}

/** Nodes evenly on a circle (in the order given), labels outside it; lines between parties that are nodes. */
export function layoutNetwork (nodes: NetworkNode[], links: NetworkLink[]): NetworkLayout {
  const width = 900
  const height = 620
  const cx = width / 2
  const cy = height / 2
  const r = Math.min(cx, cy) - 90
  const placed = nodes.map((node, i) => {
    const angle = nodes.length === 1 ? -Math.PI / 2 : -Math.PI / 2 + 2 * Math.PI * i / nodes.length
    const x = round(cx + r * Math.cos(angle))
    const y = round(cy + r * Math.sin(angle))
    const cos = Math.cos(angle)
    const anchor: 'start' | 'end' | 'middle' = Math.abs(cos) < 0.2 ? 'middle' : cos > 0 ? 'start' : 'end'
    const labelX = round(cx + (r + 16) * cos)
    const labelY = round(cy + (r + 16) * Math.sin(angle) + (Math.sin(angle) > 0.2 ? 14 : Math.sin(angle) < -0.2 ? -6 : 4))
    return { ...node, x, y, anchor, labelX, labelY }
  })
  const at = new Map(placed.map(n => [n.key, n]))
  const lines: NetworkLayout['lines'] = []
  for (const link of links) {
    const ends = link.parties.map(p => at.get(p)).filter((n): n is NonNullable<typeof n> => Boolean(n))
    for (let i = 0; i < ends.length; i++) {
      for (let j = i + 1; j < ends.length; j++) {
        lines.push({ x1: ends[i].x, y1: ends[i].y, x2: ends[j].x, y2: ends[j].y, label: link.label })
      }
    }
  }
  return { width, height, nodes: placed, lines }
}

function round (n: number): number {
  return Math.round(n * 10) / 10
}
