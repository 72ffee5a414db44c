/** Median, min and max of repeated measurements of one figure. */
export interface Summary {
  median: number
  min: number
  max: number
  runs: number[]
}

/** Summarises repeated measurements. */
export function summarise (runs: number[]): Summary {
  const sorted = [...runs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs }
}

/** The q-quantile (0..1) of latencies, nearest-rank. */
export function percentile (values: number[], q: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank]
}
