import { summarise, Summary } from './stats'

/** How often to run a measurement: a warm-up that is thrown away, then the counted runs. */
export interface RepeatOptions {
  warmups: number
  runs: number
}

/** Runs `measure` warm-up times, then `runs` times, and summarises each named figure. */
export async function repeat<K extends string> (options: RepeatOptions, measure: () => Promise<Record<K, number>>): Promise<Record<K, Summary>> {
  return (await repeatInterleaved(options, { only: measure })).only
}

/**
 * Runs several measurements in rounds, each once a round, with the one that goes first moving on
 * by one every round: a change of the machine's speed during the benchmark then falls on every
 * measurement alike, and no measurement always runs first or right after the same other. The
 * first `warmups` rounds are thrown away; each measurement's figures are summarised over the
 * counted ones.
 */
export async function repeatInterleaved<N extends string, K extends string> (options: RepeatOptions, measures: Record<N, () => Promise<Record<K, number>>>): Promise<Record<N, Record<K, Summary>>> {
  const names = Object.keys(measures) as N[]
  const collected = new Map<N, Map<K, number[]>>(names.map(name => [name, new Map()]))
  for (let round = 0; round < options.warmups + options.runs; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]
      const figures = await measures[name]()
      if (round < options.warmups) continue
      const mine = collected.get(name) as Map<K, number[]>
      for (const [key, value] of Object.entries(figures) as Array<[K, number]>) {
        const values = mine.get(key) ?? []
        values.push(value)
        mine.set(key, values)
      }
    }
  }
  const out = {} as Record<N, Record<K, Summary>>
  for (const [name, figures] of collected) {
    const summaries = {} as Record<K, Summary>
    for (const [key, values] of figures) summaries[key] = summarise(values)
    out[name] = summaries
  }
  return out
}
