/**
 * A decision's quorum: the share of members (0 to 1) who must vote. Held as an exact fraction so
 * that "0.5 of 3 members" is compared as voters × 10 ≥ members × 5, never with floats.
 */

/** An exact quorum: `num / den`, with its canonical decimal text ("0.5"). */
export interface Quorum {
  num: bigint
  den: bigint
  text: string
}

// A plain decimal or JSON number text, possibly with an exponent (0.1, 5e-1, 1).
const NUMBER = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/

/** Why `value` is not a quorum between 0 and 1 with at most 6 decimals, or null when it is. */
export function quorumProblem (value: unknown): string | null {
  if (typeof value !== 'number' && typeof value !== 'string') return 'must be a number between 0 and 1, e.g. 0.5'
  const m = NUMBER.exec(String(value))
  if (!m || Math.abs(Number(m[3] ?? '0')) > 20 || m[0].length > 40) return 'must be a number between 0 and 1, e.g. 0.5'
  const { num, den } = fraction(m)
  if (num > den) return 'must be between 0 and 1'
  if (10n ** 6n % den !== 0n) return 'may have at most 6 decimals'
  return null
}

/** Parses a quorum (number or decimal string); throws a plain Error when `quorumProblem` finds one. */
export function parseQuorum (value: number | string): Quorum {
  const problem = quorumProblem(value)
  if (problem) throw new Error(`quorum ${problem}`)
  const { num, den } = fraction(NUMBER.exec(String(value)) as RegExpExecArray)
  return { num, den, text: formatQuorum(num, den) }
}

/** The canonical decimal text of `num / den` (den a power of ten): "0", "0.5", "1". */
export function formatQuorum (num: bigint, den: bigint): string {
  if (num === 0n) return '0'
  if (num === den) return '1'
  const places = den.toString().length - 1
  return `0.${num.toString().padStart(places, '0')}`.replace(/0+$/, '')
}

/**
 * True when `voters` of `members` reach the quorum: voters / members ≥ num / den, compared as
 * voters × den ≥ members × num. A quorum above zero is never reached without a single voter.
 */
export function meetsQuorum (voters: number, members: number, quorum: Pick<Quorum, 'num' | 'den'>): boolean {
  if (quorum.num > 0n && voters === 0) return false
  return BigInt(voters) * quorum.den >= BigInt(members) * quorum.num
}

/** num / den with den a power of ten, reduced by trailing zeros only (keeps den a power of ten). */
function fraction (m: RegExpExecArray): { num: bigint, den: bigint } {
  let digits = m[1] + (m[2] ?? '')
  let scale = (m[2]?.length ?? 0) - Number(m[3] ?? '0')
  if (scale < 0) { digits += '0'.repeat(-scale); scale = 0 }
  let num = BigInt(digits)
  let den = 10n ** BigInt(scale)
  while (den > 1n && num % 10n === 0n) { num /= 10n; den /= 10n }
  return { num, den }
}
