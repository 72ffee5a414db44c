/** `KEY=VALUE` pairs given to a command-line option as an environment; a pair without `=` is refused with its text. */
export function environmentFrom (pairs: string[] | undefined, option: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const pair of pairs ?? []) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new Error(`${option} takes KEY=VALUE; got "${pair}"`)
    env[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return env
}
