/**
 * Where a hub process runs, and whether a process on the same machine is still alive: a
 * process killed outright (SIGKILL, a crash) is seen at once by its pid, without waiting for
 * its heartbeat to go stale.
 */
import fs from 'node:fs'
import os from 'node:os'
import type { ProcessRecord } from '../store/ports/processes.port'

/**
 * This machine as processes sharing a database see it: the host name and, on Linux, the pid
 * namespace, so two containers with the same host name never take each other's pids for their own.
 */
export function machineId (): string {
  let namespace = ''
  try {
    namespace = fs.readlinkSync('/proc/self/ns/pid')
  } catch { /* not Linux: the host name alone */ }
  return namespace ? `${os.hostname()}/${namespace}` : os.hostname()
}

/** True when a process with `pid` runs on this machine (EPERM: it runs, as another user). */
export function pidIsRunning (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The registered processes to treat as dead: those whose heartbeat is older than `staleMs`, and
 * those on this machine whose pid no longer runs. Never `selfId`.
 */
export function deadProcesses (all: ProcessRecord[], selfId: string, now: number, staleMs: number, machine: string, isRunning: (pid: number) => boolean = pidIsRunning): string[] {
  return all
    .filter(p => p.id !== selfId)
    .filter(p => now - Date.parse(p.heartbeatAt) > staleMs || (p.machine === machine && !isRunning(p.pid)))
    .map(p => p.id)
}
