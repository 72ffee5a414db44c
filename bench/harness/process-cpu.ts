import fs from 'fs'

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux everywhere in practice). */
const TICKS_PER_SECOND = 100

/**
 * CPU time (user + system, ms) a process has used so far, from /proc; null where there is no
 * /proc. Unlike wall time it barely moves when other work shares the cores, so the CPU time a
 * server spends per request is a steadier figure than its throughput on a busy machine.
 */
export function processCpuMs (pid: number): number | null {
  return statCpuMs(`/proc/${pid}/stat`)
}

/**
 * CPU time (ms) of a process's main thread alone, the one running its event loop: where the loop
 * is the limit, its time per request is what bounds throughput, whatever the other threads do.
 */
export function mainThreadCpuMs (pid: number): number | null {
  return statCpuMs(`/proc/${pid}/task/${pid}/stat`)
}

function statCpuMs (file: string): number | null {
  try {
    const stat = fs.readFileSync(file, 'utf8')
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const utime = Number(fields[11])
    const stime = Number(fields[12])
    return (utime + stime) * 1000 / TICKS_PER_SECOND
  } catch {
    return null
  }
}

/** Resident memory (MiB) of a process, from /proc; null where there is no /proc. */
export function processRssMiB (pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status)
    return match ? Number(match[1]) / 1024 : null
  } catch {
    return null
  }
}

/** One thread's time on a core and waiting for one, in ns, from the scheduler's own counters. */
export interface ThreadSchedule {
  runNs: number
  waitNs: number
}

/**
 * Every thread of a process with its time on a core and its time runnable but waiting for one
 * (`/proc/<pid>/task/<tid>/schedstat`, in nanoseconds: far finer than the clock ticks of `stat`);
 * null where there is no such file. A thread that ended while it was read is left out.
 */
export function threadSchedules (pid: number): Map<number, ThreadSchedule> | null {
  let tids: string[]
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`)
  } catch {
    return null
  }
  const out = new Map<number, ThreadSchedule>()
  for (const tid of tids) {
    try {
      const [run, wait] = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number)
      out.set(Number(tid), { runNs: run, waitNs: wait })
    } catch { /* the thread ended */ }
  }
  return out.size > 0 ? out : null
}
