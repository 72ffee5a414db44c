import { DirectoryServer } from '../helpers/directory-server'
import { runCliCapturing as run, useCliDataDir } from '../helpers/cli-env'

/** `ioocloud-hub jobs`, `sync <job>` and `source …` do what the admin API does, on the same store. */
describe('CLI: jobs, sync and sources', () => {
  let server: DirectoryServer

  beforeAll(async () => {
    server = await new DirectoryServer().start()
    server.route('/export.csv', { kind: 'file', file: 'ioo-directory/ioo-directory.csv', type: 'text/csv', etag: true })
  })
  afterAll(async () => { await server.stop() })
  useCliDataDir({ HUB_ALLOW_PRIVATE_ADDRESSES: '1' })

  it('lists the IoO source, imports a source with a summary, and shows the run in jobs', async () => {
    const listed = await run('source', 'list')
    expect(listed.code).toBe(0)
    expect(listed.output).toMatch(/^ioo\tenabled\tioo-csv\thttps:\/\/docs\.google\.com\/spreadsheets\/d\/1RQTMhPJVVdmE7Yeop1iwYhvj46kgvVJQnn11EPGwzeY\/export\?format=csv/)
    expect(listed.output).toContain('never imported')

    // The test's copy of the sheet replaces the default source.
    expect((await run('source', 'remove', 'ioo')).output).toBe('Removed source ioo and its 0 directory record(s).')
    const added = await run('source', 'add', 'sheet', 'ioo-csv', server.url('/export.csv'), '--name', 'ioo.coop/directory')
    expect(added).toEqual({ code: 0, output: `Added source sheet (ioo-csv, records named "ioo.coop/directory"): ${server.url('/export.csv')}` })

    const synced = await run('sync', 'directories')
    expect(synced.code).toBe(0)
    expect(synced.output).toMatch(/^directories: #\d+ \S+ manual succeeded in [\d.]+ s: 313 added, 0 changed, 0 unchanged, 0 gone, 0 rejected/)
    expect(synced.output).toContain('  sheet: imported (313 added, 0 changed, 0 unchanged, 0 gone, 0 rejected)')

    const again = await run('sync', 'directories', '--source', 'sheet')
    expect(again.output).toContain('  sheet: unchanged (0 added, 0 changed, 0 unchanged, 0 gone, 0 rejected)')
    expect(server.requestsTo('/export.csv').at(-1)).toMatchObject({ status: 304 })

    const jobs = await run('jobs')
    expect(jobs.output).toMatch(/directories: Import each enabled directory source[\s\S]*schedule: 0 \* \* \* \* \(UTC\)[\s\S]*last run: #\d+ .* manual succeeded/)
    const history = await run('jobs', 'directories')
    expect(history.output.split('\n')).toHaveLength(2)

    expect((await run('source', 'disable', 'sheet')).output).toBe('Source sheet is disabled.')
    expect((await run('source', 'list')).output).toContain('sheet\tdisabled\tioo-csv')
    expect((await run('source', 'enable', 'sheet')).output).toBe('Source sheet is enabled.')
  })

  it('says why it failed and exits non-zero', async () => {
    const badFormat = await run('source', 'add', 'x', 'rss', 'https://x.example/feed')
    expect(badFormat.code).toBe(1)
    expect(badFormat.output).toMatch(/format must be one of: ioo-csv, ioo-json, pcc, murmurations, chatons, librehosters, hub-directory/)
    expect((await run('source', 'list')).output.split('\n').filter(l => !l.startsWith(' '))).toHaveLength(1)
    expect(await run('sync', 'backup')).toEqual({ code: 1, output: 'Error: There is no job "backup"; the jobs are directories, siblings, health, expiry' })
    expect((await run('source', 'remove', 'nope')).output).toBe('Error: There is no directory source "nope"')

    server.route('/broken.csv', { kind: 'body', body: 'nope', type: 'text/csv', status: 500 })
    const sameName = await run('source', 'add', 'broken', 'ioo-csv', server.url('/broken.csv'))
    expect(sameName).toEqual({ code: 1, output: 'Error: Another source already records its entries as "ioo.coop/directory"; give this one a different name' })
    expect((await run('source', 'add', 'broken', 'ioo-csv', server.url('/broken.csv'), '--name', 'broken-copy')).code).toBe(0)
    const failed = await run('sync', 'directories', '--source', 'broken')
    expect(failed.code).toBe(1)
    expect(failed.output).toMatch(/manual failed .*broken: .*answered 500/)
  })
})
