import { ConflictError } from '../errors/app-errors'
import { deadProcesses, machineId, pidIsRunning } from '../processes/process-identity'
import { registeredProcesses } from '../store/transfer/store-readings'
import { describeStore, type StoreTarget } from '../store/transfer/store-url'

/**
 * Refuses when a hub process is registered on one of `stores` and still alive: on this machine
 * its pid runs, elsewhere its heartbeat is younger than `staleMs`. A store copied while a hub
 * writes to it would miss what the hub writes afterwards, and one replaced under a running hub
 * would be changed under its feet.
 */
export async function refuseWhileHubsRun (stores: StoreTarget[], staleMs: number): Promise<void> {
  const machine = machineId()
  for (const store of stores) {
    const all = await registeredProcesses(store)
    const dead = new Set(deadProcesses(all, '', Date.now(), staleMs, machine, pidIsRunning))
    const live = all.filter(p => !dead.has(p.id))
    if (live.length === 0) continue
    const which = live.map(p => `pid ${p.pid}${p.machine === machine ? '' : ` on ${p.machine}`}`).join(', ')
    throw new ConflictError(`A hub process (${which}) is running on ${describeStore(store)}; stop every hub on it before migrating ` +
      `(a process that died without stopping counts as stopped once its heartbeat is ${Math.round(staleMs / 1000)} s old)`)
  }
}
