import { runCliCapturing as run, useCliDataDir } from '../helpers/cli-env'

/** `ioocloud-hub umbrella create|update|list` do what the umbrella API does. */
describe('CLI umbrella', () => {
  useCliDataDir()

  it('creates, edits and lists umbrellas', async () => {
    const created = await run('umbrella', 'create', 'network', '--name', 'Network', '--membership-policy', 'approval')
    expect(created.code).toBe(0)
    expect(created.output).toMatch(/^Created umbrella network: https:\/\/hub\.example\.coop\/u\/network\nAPI token for this umbrella \(shown once, keep it safe\):\n {2}ioo_/)
    expect(await run('umbrella', 'update', 'network', '--name', 'The Network', '--membership-policy', 'vote'))
      .toEqual({ code: 0, output: 'Updated umbrella network: The Network (vote)' })
    expect(await run('umbrella', 'list')).toEqual({ code: 0, output: 'network\tvote\t0 members\thttps://hub.example.coop/u/network' })
  })

  it('says what is wrong and changes nothing', async () => {
    expect((await run('umbrella', 'create', 'network', '--name', 'Network', '--membership-policy', 'lottery')).code).not.toBe(0)
    expect((await run('umbrella', 'create', 'network', '--name', 'Network')).code).not.toBe(0)
    expect(await run('umbrella', 'update', 'nobody', '--name', 'X')).toEqual({ code: 1, output: 'Error: There is no umbrella "nobody" on this hub' })
    expect(await run('umbrella', 'list')).toEqual({ code: 0, output: 'No umbrellas on this hub.' })
  })
})
