import { repeat, repeatInterleaved } from '../../bench/harness/repeat'

/** A measurement that records when it ran and answers its call count as its figure. */
function recorder (name: string, log: string[]): () => Promise<{ call: number }> {
  let calls = 0
  return async () => {
    log.push(name)
    calls++
    return { call: calls }
  }
}

describe('benchmark rounds', () => {
  it('gives each measurement one run a round, the first of a round moving on by one', async () => {
    const log: string[] = []
    await repeatInterleaved({ warmups: 1, runs: 3 }, { a: recorder('a', log), b: recorder('b', log), c: recorder('c', log) })
    expect(log).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b', 'a', 'b', 'c'])
  })

  it('throws the warm-up rounds away and summarises each measurement over the counted ones', async () => {
    const log: string[] = []
    const out = await repeatInterleaved({ warmups: 2, runs: 3 }, { a: recorder('a', log), b: recorder('b', log) })
    expect(out.a.call.runs).toEqual([3, 4, 5])
    expect(out.b.call).toEqual({ median: 4, min: 3, max: 5, runs: [3, 4, 5] })
    expect(log).toHaveLength(10)
  })

  it('runs a single measurement as before: warm-ups, then the counted runs', async () => {
    const log: string[] = []
    const out = await repeat({ warmups: 1, runs: 2 }, recorder('only', log))
    expect(log).toEqual(['only', 'only', 'only'])
    expect(out.call.runs).toEqual([2, 3])
  })
})
