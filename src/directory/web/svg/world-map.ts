/**
 * An offline world map: Natural Earth land (110m, from the world-atlas package) drawn in the
 * equirectangular projection, which is good enough to place a few hundred points by eye.
 */
import fs from 'node:fs'
import { feature } from 'topojson-client'
import type { Topology, GeometryCollection } from 'topojson-specification'
import type { Position } from 'geojson'

/** The map's drawing size in SVG units (2:1, as the projection is). */
export const MAP_WIDTH = 1000
export const MAP_HEIGHT = 500

/** A point's place on the map: longitude to x, latitude to y, linearly. */
export function project (lat: number, lon: number): { x: number, y: number } {
  return { x: round((lon + 180) / 360 * MAP_WIDTH), y: round((90 - lat) / 180 * MAP_HEIGHT) }
}

let land: string | null = null

/** The SVG path data of every land mass; read and projected once. */
export function landPath (): string {
  if (land !== null) return land
  const topology = JSON.parse(fs.readFileSync(require.resolve('world-atlas/land-110m.json'), 'utf8')) as Topology<{ land: GeometryCollection }>
  const shapes = feature(topology, topology.objects.land)
  const rings: Position[][] = []
  for (const f of shapes.features) {
    const g = f.geometry
    if (g.type === 'Polygon') rings.push(...g.coordinates)
    else if (g.type === 'MultiPolygon') for (const polygon of g.coordinates) rings.push(...polygon)
  }
  // A ring that crosses the antimeridian (Chukotka, Fiji) jumps from +180 to -180: the jump
  // starts a new sub-path instead of a line across the whole map.
  land = rings.map(ring => ring.map(([lon, lat], i) => {
    const p = project(lat, lon)
    const jump = i > 0 && Math.abs(lon - ring[i - 1][0]) > 180
    return `${i === 0 || jump ? 'M' : 'L'}${p.x},${p.y}`
  }).join('') + 'Z').join('')
  return land
}

/** Lines of latitude and longitude every 30 degrees. */
export function graticulePath (): string {
  const parts: string[] = []
  for (let lon = -180; lon <= 180; lon += 30) {
    const a = project(90, lon)
    const b = project(-90, lon)
    parts.push(`M${a.x},${a.y}L${b.x},${b.y}`)
  }
  for (let lat = -60; lat <= 60; lat += 30) {
    const a = project(lat, -180)
    const b = project(lat, 180)
    parts.push(`M${a.x},${a.y}L${b.x},${b.y}`)
  }
  return parts.join('')
}

function round (n: number): number {
  return Math.round(n * 10) / 10
}
