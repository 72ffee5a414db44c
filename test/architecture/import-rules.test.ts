/**
 * Which way the imports run (docs/architecture.md): entry → api → features → federation core →
 * store → domain. Every import of every file under src/ is read; a lower layer that imports a
 * higher one fails the test, naming the file and the import.
 */
import fs from 'fs'
import path from 'path'

const SRC = path.resolve(__dirname, '../../src')

/** The layer of each top-level entry under src/, lowest first. */
const LAYERS: Record<string, number> = {
  domain: 0, config: 0, errors: 0, log: 0, schemas: 0, types: 0,
  store: 1,
  federation: 2,
  coops: 3, umbrellas: 3, pools: 3, agreements: 3, follows: 3, 'hosted-services': 3, directory: 3, sync: 3, auth: 3, events: 3, processes: 3,
  api: 4,
  'main.ts': 5, 'app.ts': 5, 'hub-context.ts': 5, 'hub-shutdown.ts': 5, 'http-server.ts': 5, cli: 5, demo: 5
}
const LAYER_NAMES = ['domain', 'store', 'federation core', 'features', 'api', 'entry']
/** The layers whose imports are checked: each may import only layers below it (or its own). */
const CHECKED = new Set([0, 1, 2])

function sourceFiles (dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(d => {
    const full = path.join(dir, d.name)
    if (d.isDirectory()) return sourceFiles(full)
    return d.name.endsWith('.ts') ? [full] : []
  })
}

/** Every module specifier a file imports, re-exports or requires. */
export function importsOf (source: string): string[] {
  const found: string[] = []
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g
  ]
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1])
  return found
}

function layerOf (file: string): string {
  return path.relative(SRC, file).split(path.sep)[0]
}

/** The imports that break the rule, as `file: import (lower layer → higher layer)`. */
function violations (): string[] {
  const out: string[] = []
  for (const file of sourceFiles(SRC)) {
    const from = layerOf(file)
    const fromRank = LAYERS[from]
    if (fromRank === undefined || !CHECKED.has(fromRank)) continue
    for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue
      const target = path.resolve(path.dirname(file), spec)
      if (!target.startsWith(SRC + path.sep)) continue
      const to = layerOf(target.endsWith('.ts') ? target : fs.existsSync(target) && fs.statSync(target).isDirectory() ? target : `${target}.ts`)
      const toRank = LAYERS[to] ?? LAYERS[`${to}.ts`]
      if (toRank !== undefined && toRank > fromRank) {
        out.push(`${path.relative(SRC, file)}: '${spec}' (${LAYER_NAMES[fromRank]} → ${LAYER_NAMES[toRank]})`)
      }
    }
  }
  return out
}

describe('which way the imports run', () => {
  it('knows the layer of every top-level folder and file under src/', () => {
    const unknown = fs.readdirSync(SRC).filter(name => LAYERS[name] === undefined)
    expect(unknown).toEqual([])
  })

  it('reads imports, re-exports, type imports and requires', () => {
    const source = [
      "import type { A } from '../pools/a'",
      "import {\n  B,\n  C\n} from '../agreements/b'",
      "export { D } from '../api/d'",
      "import '../sync/side-effect'",
      "const e = require('../directory/e')",
      "const f = await import('../follows/f')"
    ].join('\n')
    expect(importsOf(source).sort()).toEqual(['../agreements/b', '../api/d', '../directory/e', '../follows/f', '../pools/a', '../sync/side-effect'])
  })

  it('has no lower layer importing a higher one (federation core → features or api; store → above it; domain and config → above them)', () => {
    expect(violations()).toEqual([])
  })
})
