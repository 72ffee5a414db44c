import { ChildProcess, spawn } from 'child_process'

/** A server under test running in its own process (so it has a core of its own, as in production). */
export interface ChildServer {
  origin: string
  pid: number
  output: () => string
  stop: () => Promise<void>
}

/**
 * Starts `node script` with `env` and waits until it prints `READY <origin>` (bench references)
 * or until `readyUrl` answers (the hub).
 */
export async function startChild (script: string, env: Record<string, string>, readyUrl?: string, nodeArgs: string[] = []): Promise<ChildServer> {
  let log = ''
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stderr?.on('data', d => { log += String(d) })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const origin = await new Promise<string>((resolve, reject) => {
    // A server that never says it is ready is killed, not left running behind the benchmark.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} did not start:\n${log}`)) }, 30_000)
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`${script} exited with ${code}:\n${log}`)) })
    child.stdout?.on('data', d => {
      log += String(d)
      const ready = /READY (\S+)/.exec(log)
      if (ready) { clearTimeout(timer); resolve(ready[1]) }
    })
    if (readyUrl) {
      const poll = async (): Promise<void> => {
        try {
          if ((await fetch(readyUrl)).ok) { clearTimeout(timer); resolve(new URL(readyUrl).origin); return }
        } catch { /* not yet */ }
        setTimeout(() => { void poll() }, 100)
      }
      void poll()
    }
  })
  return {
    origin,
    pid: child.pid ?? -1,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    }
  }
}
