/**
 * Contract suite of the scheduled-sync repositories (jobs, sources, siblings, health) and of the
 * directory methods sync added (`purgeGone`, `removeSource`). Every adapter runs it (SQLite in
 * sqlite.sync.test.ts). It tests through the ports only; `clock.now` is the adapter's clock.
 */
import type { DirectoryRepository, SourceEntry } from '../../src/store/ports/directory.port'
import type { HealthRepository } from '../../src/store/ports/health.port'
import type { JobRepository } from '../../src/store/ports/jobs.port'
import type { SiblingRepository } from '../../src/store/ports/siblings.port'
import type { SourceRepository } from '../../src/store/ports/sync-sources.port'

/** What the suite runs on. */
export interface SyncRepos {
  jobs: JobRepository
  sources: SourceRepository
  siblings: SiblingRepository
  health: HealthRepository
  directory: DirectoryRepository
  clock: { now: number }
  dispose: () => Promise<void> | void
}

const counts = { added: 1, changed: 2, unchanged: 3, gone: 4, rejected: 5 }
const T0 = Date.parse('2025-03-01T12:00:00Z')

/** Runs the suite on fresh repositories from `make`. */
export function syncRepositoriesContract (adapter: string, make: (clock: { now: number }) => Promise<SyncRepos>): void {
  describe(`sync repositories contract: ${adapter}`, () => {
    let r: SyncRepos
    beforeEach(async () => { r = await make({ now: T0 }) })
    afterEach(async () => { await r.dispose() })

    describe('JobRepository', () => {
      it('runs a tick once, whoever asks, and records how it ended', async () => {
        const a = await r.jobs.start({ job: 'health', trigger: 'schedule', slot: '2025-03-01T12:00:00.000Z', holder: 'A', leaseMs: 60_000 })
        expect(a.started).toBe(true)
        if (!a.started) return
        expect(a.run).toMatchObject({ job: 'health', trigger: 'schedule', holder: 'A', outcome: 'running', endedAt: null })
        const b = await r.jobs.start({ job: 'health', trigger: 'schedule', slot: '2025-03-01T12:00:00.000Z', holder: 'B', leaseMs: 60_000 })
        expect(b).toMatchObject({ started: false, reason: 'already-run' })
        r.clock.now += 1500
        const done = await r.jobs.finish(a.run.id, { outcome: 'succeeded', counts, error: null, details: [{ part: 1 }] })
        expect(done).toMatchObject({ outcome: 'succeeded', counts, details: [{ part: 1 }], endedAt: new Date(T0 + 1500).toISOString() })
        expect(await r.jobs.lease('health')).toBeNull()
        // Finished, the same tick is still taken.
        expect(await r.jobs.start({ job: 'health', trigger: 'schedule', slot: '2025-03-01T12:00:00.000Z', holder: 'B', leaseMs: 60_000 })).toMatchObject({ started: false, reason: 'already-run' })
        expect((await r.jobs.listRuns({ job: 'health', limit: 10 })).map(x => x.id)).toEqual([a.run.id])
      })

      it('never overlaps a job: busy while the lease holds, abandoned once it expired', async () => {
        const a = await r.jobs.start({ job: 'siblings', trigger: 'manual', slot: null, holder: 'A', leaseMs: 10_000 })
        if (!a.started) throw new Error('not started')
        const busy = await r.jobs.start({ job: 'siblings', trigger: 'schedule', slot: '2025-03-01T12:00:05.000Z', holder: 'B', leaseMs: 10_000 })
        expect(busy).toMatchObject({ started: false, reason: 'busy', holder: 'A', leaseUntil: new Date(T0 + 10_000).toISOString() })
        // Another job is not held up.
        expect((await r.jobs.start({ job: 'health', trigger: 'manual', slot: null, holder: 'B', leaseMs: 10_000 })).started).toBe(true)
        r.clock.now += 8000
        expect(await r.jobs.renew('siblings', 'A', 10_000)).toBe(true)
        expect(await r.jobs.renew('siblings', 'B', 10_000)).toBe(false)
        r.clock.now += 9000
        expect((await r.jobs.start({ job: 'siblings', trigger: 'manual', slot: null, holder: 'B', leaseMs: 10_000 })).started).toBe(false)
        r.clock.now += 2000
        const taken = await r.jobs.start({ job: 'siblings', trigger: 'manual', slot: null, holder: 'B', leaseMs: 10_000 })
        expect(taken.started).toBe(true)
        expect(await r.jobs.getRun(a.run.id)).toMatchObject({ outcome: 'abandoned', error: expect.stringMatching(/lease of A expired/) })
        expect(await r.jobs.renew('siblings', 'A', 10_000)).toBe(false)
      })

      it('lists runs newest first and the last run of each job', async () => {
        const ids: number[] = []
        for (const job of ['directories', 'health', 'directories']) {
          const s = await r.jobs.start({ job, trigger: 'manual', slot: null, holder: 'A', leaseMs: 1000 })
          if (!s.started) throw new Error('not started')
          ids.push(s.run.id)
          await r.jobs.finish(s.run.id, { outcome: 'failed', counts: { ...counts, added: ids.length }, error: 'boom', details: [] })
        }
        expect((await r.jobs.listRuns({ limit: 2 })).map(x => x.id)).toEqual([ids[2], ids[1]])
        const last = await r.jobs.lastRuns()
        expect(Object.keys(last).sort()).toEqual(['directories', 'health'])
        expect(last.directories).toMatchObject({ id: ids[2], outcome: 'failed', error: 'boom', counts: { added: 3 } })
      })
    })

    describe('SourceRepository', () => {
      it('adds, refuses a taken id or name, enables, disables and removes', async () => {
        const added = await r.sources.add({ id: 'chatons', format: 'chatons', url: 'https://x.example/c.properties', name: 'chatons.org' })
        expect(added).toMatchObject({ id: 'chatons', enabled: true, failures: 0, etag: null, lastCounts: null, createdAt: new Date(T0).toISOString() })
        expect(await r.sources.add({ id: 'chatons', format: 'pcc', url: 'https://y.example', name: 'other' })).toBeNull()
        expect(await r.sources.add({ id: 'other', format: 'pcc', url: 'https://y.example', name: 'chatons.org' })).toBeNull()
        expect((await r.sources.setEnabled('chatons', false))?.enabled).toBe(false)
        expect(await r.sources.setEnabled('nope', false)).toBeNull()
        expect((await r.sources.list()).map(s => s.id)).toContain('chatons')
        expect(await r.sources.remove('chatons')).toBe(true)
        expect(await r.sources.remove('chatons')).toBe(false)
        expect(await r.sources.get('chatons')).toBeNull()
      })

      it('keeps validators and documents on success; counts failures with a back-off; success clears them', async () => {
        await r.sources.add({ id: 's', format: 'ioo-json', url: 'https://x.example/a.json', name: 's' })
        const doc = { url: 'https://x.example/a.json', etag: '"v1"', lastModified: null, contentType: 'application/json', body: '[]' }
        await r.sources.recordSuccess('s', { etag: '"v1"', lastModified: null, contentHash: 'h1', counts, documents: [doc] })
        expect(await r.sources.get('s')).toMatchObject({ etag: '"v1"', contentHash: 'h1', lastCounts: counts, lastSuccessAt: new Date(T0).toISOString() })
        expect(await r.sources.documents('s')).toEqual([doc])
        await r.sources.recordFailure('s', { error: 'answered 500', nextAttemptAt: '2025-03-01T12:15:00.000Z' })
        await r.sources.recordFailure('s', { error: 'answered 502', nextAttemptAt: '2025-03-01T12:30:00.000Z' })
        expect(await r.sources.get('s')).toMatchObject({ failures: 2, lastError: 'answered 502', nextAttemptAt: '2025-03-01T12:30:00.000Z', contentHash: 'h1' })
        expect(await r.sources.documents('s')).toEqual([doc])
        // Enabling again lifts the back-off.
        expect((await r.sources.setEnabled('s', true))?.nextAttemptAt).toBeNull()
        // Success without documents keeps the cached ones.
        await r.sources.recordSuccess('s', { etag: '"v1"', lastModified: null, contentHash: 'h1', counts })
        expect(await r.sources.get('s')).toMatchObject({ failures: 0, lastError: null, nextAttemptAt: null })
        expect(await r.sources.documents('s')).toEqual([doc])
        await r.sources.remove('s')
        expect(await r.sources.documents('s')).toEqual([])
      })

      it('answers the cached documents\' validators without their bodies, in the documents\' order', async () => {
        await r.sources.add({ id: 'v', format: 'librehosters', url: 'https://x.example/network.json', name: 'v' })
        const root = { url: 'https://x.example/network.json', etag: '"r1"', lastModified: null, contentType: 'application/json', body: '{"a":1}' }
        const member = { url: 'https://m.example/about.json', etag: null, lastModified: 'Sat, 01 Mar 2025 12:00:00 GMT', contentType: 'application/json', body: '{"b":2}' }
        await r.sources.recordSuccess('v', { etag: '"r1"', lastModified: null, contentHash: 'h', counts, documents: [root, member] })
        const validators = await r.sources.documentValidators('v')
        expect(validators).toEqual([
          { url: root.url, etag: '"r1"', lastModified: null, contentType: 'application/json' },
          { url: member.url, etag: null, lastModified: 'Sat, 01 Mar 2025 12:00:00 GMT', contentType: 'application/json' }
        ])
        expect(validators).toEqual((await r.sources.documents('v')).map(({ body: _body, ...rest }) => rest))
        expect(await r.sources.documentValidators('none')).toEqual([])
      })
    })

    describe('SiblingRepository', () => {
      it('marks a sibling unreachable after repeated failures, and reachable after a success', async () => {
        const id = 'https://b.example/u/beta'
        expect((await r.siblings.recordFailure(id, 'timeout', 3)).unreachableSince).toBeNull()
        expect((await r.siblings.recordFailure(id, 'timeout', 3)).unreachableSince).toBeNull()
        r.clock.now += 1000
        const third = await r.siblings.recordFailure(id, 'refused', 3)
        expect(third).toMatchObject({ failures: 3, lastError: 'refused', unreachableSince: new Date(T0 + 1000).toISOString() })
        r.clock.now += 1000
        expect((await r.siblings.recordFailure(id, 'refused', 3)).unreachableSince).toBe(new Date(T0 + 1000).toISOString())
        const ok = await r.siblings.recordSuccess(id, { nodeinfo: { version: '2.1' }, software: { name: 'ioocloud-hub', version: '0.1.0' } })
        expect(ok).toMatchObject({ failures: 0, unreachableSince: null, lastError: null, software: { name: 'ioocloud-hub', version: '0.1.0' }, nodeinfo: { version: '2.1' } })
        expect((await r.siblings.list()).map(s => s.actorId)).toEqual([id])
      })

      it('keeps suggestions with every co-op they came through; dismissed ones are hidden', async () => {
        expect(await r.siblings.suggest('https://c.example/u/gamma', 'Gamma', 'https://b.example/u/beta')).toBe('added')
        expect(await r.siblings.suggest('https://c.example/u/gamma', null, 'https://a.example/u/alpha')).toBe('updated')
        expect(await r.siblings.listSuggestions({ includeDismissed: false })).toEqual([
          expect.objectContaining({ actorId: 'https://c.example/u/gamma', name: 'Gamma', via: ['https://a.example/u/alpha', 'https://b.example/u/beta'], dismissed: false })
        ])
        expect(await r.siblings.dismissSuggestion('https://c.example/u/gamma')).toBe(true)
        expect(await r.siblings.listSuggestions({ includeDismissed: false })).toEqual([])
        expect(await r.siblings.listSuggestions({ includeDismissed: true })).toHaveLength(1)
        expect(await r.siblings.removeSuggestion('https://c.example/u/gamma')).toBe(true)
        expect(await r.siblings.dismissSuggestion('https://c.example/u/gamma')).toBe(false)
      })
    })

    describe('HealthRepository', () => {
      it('records checks, answers the last one, summarises since a time and prunes old ones', async () => {
        const check = (at: string, status: 'operational' | 'degraded' | 'down'): Parameters<HealthRepository['record']>[0] =>
          ({ serviceId: 'https://h.example/u/a/services/files', checkedAt: at, status, probe: 'status.php', latencyMs: 12, detail: null })
        await r.health.record(check('2025-01-01T00:00:00.000Z', 'down'))
        await r.health.record(check('2025-02-10T00:00:00.000Z', 'operational'))
        await r.health.record(check('2025-02-20T00:00:00.000Z', 'degraded'))
        await r.health.record(check('2025-02-21T00:00:00.000Z', 'operational'))
        expect(await r.health.last('https://h.example/u/a/services/files')).toMatchObject({ checkedAt: '2025-02-21T00:00:00.000Z', status: 'operational', latencyMs: 12 })
        expect(await r.health.summary('https://h.example/u/a/services/files', '2025-02-01T00:00:00.000Z')).toEqual({ checks: 3, operational: 2, degraded: 1, down: 0 })
        expect(await r.health.prune('2025-02-01T00:00:00.000Z')).toBe(1)
        expect(await r.health.summary('https://h.example/u/a/services/files', '2000-01-01T00:00:00.000Z')).toMatchObject({ checks: 3, down: 0 })
        expect(await r.health.last('https://nothing.example')).toBeNull()
      })
    })

    describe('DirectoryRepository additions for sync', () => {
      const entry = (sourceId: string, website: string): SourceEntry => ({ source: 'src', kind: 'imported', sourceId, website, name: sourceId, status: 'active' })

      it('deletes gone records only once they have been gone since before the cut-off', async () => {
        await r.directory.importBatch('src', [entry('a', 'a.example'), entry('b', 'b.example')], { markMissingGone: true })
        r.clock.now += 60_000
        await r.directory.importBatch('src', [entry('a', 'a.example')], { markMissingGone: true })
        const version = await r.directory.version()
        expect(await r.directory.purgeGone('src', new Date(T0).toISOString())).toBe(0)
        expect(await r.directory.purgeGone('src', new Date(T0 + 120_000).toISOString())).toBe(1)
        expect((await r.directory.listSourceEntries('src')).map(s => s.entry.sourceId)).toEqual(['a'])
        expect(await r.directory.version()).toBe(version)
      })

      it('removes every record of one source and re-merges', async () => {
        await r.directory.importBatch('src', [entry('a', 'a.example'), entry('b', 'b.example')], { markMissingGone: true })
        await r.directory.importBatch('other', [{ ...entry('a2', 'a.example'), source: 'other' }], { markMissingGone: true })
        expect(await r.directory.removeSource('src')).toBe(2)
        expect(await r.directory.listSourceEntries('src')).toEqual([])
        const entries = await r.directory.listEntries()
        expect(entries.map(e => e.url)).toEqual(['https://a.example'])
        expect(entries[0].provenance.map(p => p.source)).toEqual(['other'])
      })
    })
  })
}
