/** LOG_FORMAT on a running hub: readable lines when asked, JSON lines to a pipe by default. */
import { eventually, startHubProcess } from '../helpers/hub-process'

/** The hub answers HTTP a moment before it logs that it serves: wait for the whole entry. */
async function outputWith (hub: { output: () => string }, line: RegExp): Promise<string> {
  return await eventually(async () => line.test(hub.output()) ? hub.output() : undefined, `a log line matching ${String(line)}`)
}

describe('the hub\'s log format at start', () => {
  it('writes readable lines with LOG_FORMAT=pretty, even to a pipe', async () => {
    const hub = await startHubProcess({ env: { LOG_FORMAT: 'pretty' } })
    try {
      const output = await outputWith(hub, /^ {4}adminToken: .*\n/m)
      expect(output).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\] INFO: IoOCloud Hub is serving$/m)
      expect(output).toContain('store: "sqlite"')
      expect(output).not.toMatch(/^\{"level"/m)
    } finally {
      await hub.stop()
    }
  })

  it('writes JSON lines to a pipe when LOG_FORMAT is not set (auto: readable only on a terminal)', async () => {
    const hub = await startHubProcess()
    try {
      const output = await outputWith(hub, /"msg":"IoOCloud Hub is serving"\}\n/)
      const serving = output.split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as { msg?: string, store?: string })
        .find(entry => entry.msg === 'IoOCloud Hub is serving')
      expect(serving?.store).toBe('sqlite')
    } finally {
      await hub.stop()
    }
  })
})
