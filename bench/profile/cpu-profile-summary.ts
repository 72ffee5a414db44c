import fs from 'fs'
import path from 'path'

/** One node of a V8 `.cpuprofile` (what `node --cpu-prof` writes). */
interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number }
  hitCount?: number
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** Self and inclusive time of one function or one module, in ms and as a share of the profile. */
export interface ProfileLine {
  name: string
  selfMs: number
  totalMs: number
  selfShare: number
  totalShare: number
}

/** Where the CPU time of a profile went: by function (self time) and by module (inclusive). */
export interface ProfileSummary {
  totalMs: number
  idleMs: number
  functions: ProfileLine[]
  modules: ProfileLine[]
}

/** A short module name for a script URL: the npm package, `src/<folder>`, or node's own. */
export function moduleOf (url: string): string {
  if (url === '') return '(native / V8)'
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/')
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
  }
  const dist = url.indexOf('/dist/')
  if (dist >= 0) return `hub:${url.slice(dist + '/dist/'.length).split('/').slice(0, -1).join('/') || '.'}`
  return path.basename(url)
}

/**
 * Summarises a `.cpuprofile`: each sample's time is charged to its leaf function (self) and to
 * every distinct function and module on its stack (inclusive, counted once per sample). With a
 * window (monotonic µs, as `process.hrtime.bigint() / 1000n`), only samples inside it count.
 */
export function summariseProfile (profile: CpuProfile, top = 25, window?: { fromUs: number, toUs: number }): ProfileSummary {
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const selfFn = new Map<string, number>()
  const totalFn = new Map<string, number>()
  const totalMod = new Map<string, number>()
  const selfMod = new Map<string, number>()
  let totalMs = 0
  let idleMs = 0
  const fnKey = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'} ${moduleOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`
  let at = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0
    // V8 stamps samples with the monotonic clock, the one process.hrtime reads in every process.
    if (window && (at < window.fromUs || at > window.toUs)) continue
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000
    const leaf = byId.get(profile.samples[i])
    if (!leaf) continue
    totalMs += ms
    if (leaf.callFrame.functionName === '(idle)') { idleMs += ms; continue }
    selfFn.set(fnKey(leaf), (selfFn.get(fnKey(leaf)) ?? 0) + ms)
    selfMod.set(moduleOf(leaf.callFrame.url), (selfMod.get(moduleOf(leaf.callFrame.url)) ?? 0) + ms)
    const seenFn = new Set<string>()
    const seenMod = new Set<string>()
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id) as ProfileNode
      if (n.callFrame.functionName === '(root)') break
      seenFn.add(fnKey(n))
      seenMod.add(moduleOf(n.callFrame.url))
    }
    for (const k of seenFn) totalFn.set(k, (totalFn.get(k) ?? 0) + ms)
    for (const k of seenMod) totalMod.set(k, (totalMod.get(k) ?? 0) + ms)
  }
  const busy = totalMs - idleMs
  const lines = (self: Map<string, number>, total: Map<string, number>, sortBy: 'self' | 'total'): ProfileLine[] =>
    [...new Set([...self.keys(), ...total.keys()])]
      .map(name => ({ name, selfMs: self.get(name) ?? 0, totalMs: total.get(name) ?? 0, selfShare: (self.get(name) ?? 0) / busy, totalShare: (total.get(name) ?? 0) / busy }))
      .sort((a, b) => sortBy === 'self' ? b.selfMs - a.selfMs : b.totalMs - a.totalMs)
      .slice(0, top)
  return { totalMs, idleMs, functions: lines(selfFn, totalFn, 'total'), modules: lines(selfMod, totalMod, 'self') }
}

/** The summary as text: modules by self time, then functions by inclusive time. */
export function formatProfileSummary (s: ProfileSummary): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1).padStart(5)}%`
  const out = [`profile: ${s.totalMs.toFixed(0)} ms, idle ${s.idleMs.toFixed(0)} ms (${pct(s.idleMs / s.totalMs).trim()}); shares below are of the busy time`]
  out.push('', 'modules (self  inclusive):')
  for (const l of s.modules) out.push(`  ${pct(l.selfShare)} ${pct(l.totalShare)}  ${l.name}`)
  out.push('', 'functions (inclusive  self):')
  for (const l of s.functions) out.push(`  ${pct(l.totalShare)} ${pct(l.selfShare)}  ${l.name}`)
  return out.join('\n')
}

/**
 * Reads the newest main-thread `.cpuprofile` in `dir` (`CPU.<date>.<time>.<pid>.<thread>.<n>`;
 * worker threads write their own, with a thread number above 0), or `thread`'s.
 */
export function readNewestProfile (dir: string, thread = 0): CpuProfile {
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.cpuprofile') && f.split('.')[4] === String(thread)).map(f => path.join(dir, f))
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`)
  files.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)
  return JSON.parse(fs.readFileSync(files[0], 'utf8')) as CpuProfile
}

if (require.main === module) {
  const target = process.argv[2]
  if (!target) { process.stderr.write('usage: node cpu-profile-summary.js <file.cpuprofile | dir> [top] [window.json]\n'); process.exit(2) }
  const profile = fs.statSync(target).isDirectory() ? readNewestProfile(target) : JSON.parse(fs.readFileSync(target, 'utf8')) as CpuProfile
  // A window file (e.g. the fan-out's) limits the summary to the samples taken inside it.
  const window = process.argv[4] ? JSON.parse(fs.readFileSync(process.argv[4], 'utf8')) as { fromUs: number, toUs: number } : undefined
  process.stdout.write(formatProfileSummary(summariseProfile(profile, Number(process.argv[3] ?? 30), window)) + '\n')
}
