import { summarise, Summary } from './stats'

/** How often to run a measurement: a warm-up that is thrown away, then the counted runs. */
export interface RepeatOptions {
  warmups: number
  runs: number
}

/** Runs `measure` warm-up times, then `runs` times, and summarises each named figure. */
export async function repeat<K extends string> (options: RepeatOptions, measure: () => Promise<Record<K, number>>): Promise<Record<K, Summary>> {
  for (let i = 0; i < options.warmups; i++) await measure()
  const collected: Partial<Record<K, number[]>> = {}
  for (let i = 0; i < options.runs; i++) {
    const figures = await measure()
    for (const [key, value] of Object.entries(figures) as Array<[K, number]>) {
      (collected[key] ??= []).push(value)
    }
  }
  const out = {} as Record<K, Summary>
  for (const [key, values] of Object.entries(collected) as Array<[K, number[]]>) out[key] = summarise(values)
  return out
}
