import { ChildProcess, spawn } from 'child_process'

/** A server under test running in its own process (so it has a core of its own, as in production). */
export interface ChildServer {
  origin: string
  pid: number
  output: () => string
  stop: () => Promise<void>
}

/** How a server under test is run: under a command that runs Node (a profiler), and how long it may take to start. */
export interface ChildRunOptions {
  /** A command and its arguments before Node's own (`valgrind --tool=callgrind …`). */
  wrapper?: string[]
  /** How long the server may take to say it is ready; 30 s unless given. */
  startTimeoutMs?: number
}

/**
 * Starts `node script` with `env` and waits until it prints `READY <origin>` (bench references)
 * or until `readyUrl` answers (the hub).
 */
export async function startChild (script: string, env: Record<string, string>, readyUrl?: string, nodeArgs: string[] = [], run: ChildRunOptions = {}): Promise<ChildServer> {
  let log = ''
  const [command, ...commandArgs] = [...(run.wrapper ?? []), process.execPath]
  const child: ChildProcess = spawn(command, [...commandArgs, ...nodeArgs, script], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stderr?.on('data', d => { log += String(d) })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const origin = await new Promise<string>((resolve, reject) => {
    // A server that never says it is ready is killed, not left running behind the benchmark.
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} did not start:\n${log}`)) }, run.startTimeoutMs ?? 30_000)
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
