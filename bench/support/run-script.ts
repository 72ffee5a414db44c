import { spawn } from 'child_process'

/** Runs `node script` with `env` to its end and answers the JSON of every `RESULT {…}` line it printed. */
export async function runScript<T> (script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<T[]> {
  const child = spawn(process.execPath, [...nodeArgs, script], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.on('data', d => { out += String(d) })
  child.stderr.on('data', d => { err += String(d) })
  const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
  if (code !== 0) throw new Error(`${script} exited with ${code}:\n${err}`)
  return out.split('\n').filter(l => l.startsWith('RESULT ')).map(l => JSON.parse(l.slice('RESULT '.length)) as T)
}
