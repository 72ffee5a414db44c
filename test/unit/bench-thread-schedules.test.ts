import { threadSchedules } from '../../bench/harness/process-cpu'

/** Keeps this thread on a core for about `ms` milliseconds. */
function spin (ms: number): number {
  const until = Date.now() + ms
  let n = 0
  while (Date.now() < until) n++
  return n
}

describe('the scheduler counters the inbound rounds read', () => {
  it('gives the main thread of a process, whose time on a core grows while it works', () => {
    const before = threadSchedules(process.pid)
    expect(before).not.toBeNull()
    expect(before?.has(process.pid)).toBe(true)
    spin(50)
    const after = threadSchedules(process.pid)
    const ran = ((after?.get(process.pid)?.runNs ?? 0) - (before?.get(process.pid)?.runNs ?? 0)) / 1e6
    // At least most of the 50 ms spun, in ns-precise figures (not the 10 ms ticks of /proc/<pid>/stat).
    expect(ran).toBeGreaterThan(25)
    expect(after?.get(process.pid)?.waitNs).toBeGreaterThanOrEqual(before?.get(process.pid)?.waitNs ?? 0)
  })

  it('answers null for a process that does not exist', () => {
    expect(threadSchedules(2 ** 22 + 12345)).toBeNull()
  })
})
