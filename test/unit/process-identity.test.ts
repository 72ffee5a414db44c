import { deadProcesses, pidIsRunning } from '../../src/processes/process-identity'
import type { ProcessRecord } from '../../src/store/ports/processes.port'

/** Which registered processes count as dead: stale heartbeat anywhere, or a pid gone on this machine. */
describe('deadProcesses', () => {
  const now = Date.parse('2026-05-01T12:00:00Z')
  const record = (id: string, machine: string, pid: number, secondsAgo: number): ProcessRecord =>
    ({ id, machine, pid, startedAt: '2026-05-01T00:00:00Z', heartbeatAt: new Date(now - secondsAgo * 1000).toISOString() })
  const running = new Set([10, 11])

  it('takes a stale heartbeat or a vanished local pid for dead, never itself, never a fresh remote one', () => {
    const all = [
      record('self', 'here', 10, 100),
      record('alive-here', 'here', 11, 1),
      record('killed-here', 'here', 12, 1),
      record('quiet-there', 'there', 12, 31),
      record('beating-there', 'there', 12, 2)
    ]
    expect(deadProcesses(all, 'self', now, 30_000, 'here', pid => running.has(pid))).toEqual(['killed-here', 'quiet-there'])
  })

  it('sees this process as running and a pid that cannot exist as not', () => {
    expect(pidIsRunning(process.pid)).toBe(true)
    expect(pidIsRunning(2 ** 22 + 12345)).toBe(false)
  })
})
