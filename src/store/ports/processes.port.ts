/**
 * The hub processes sharing one store. Each process registers itself and renews a heartbeat;
 * delivery leases and inbox journal entries name the process that holds them, so what a dead
 * process held can be released without touching what a live one is doing.
 */

/** One registered hub process. */
export interface ProcessRecord {
  /** `host:pid:random`, unique per start. */
  id: string
  /** Where it runs: a process on the same machine can be checked by its pid. */
  machine: string
  pid: number
  startedAt: string
  /** Its last heartbeat (ISO). */
  heartbeatAt: string
}

/** What reaping released. */
export interface ReapResult {
  /** Process records removed. */
  processes: number
  /** Delivery leases released (sent again by whichever process claims them next). */
  deliveries: number
}

/** Storage of the process registry. */
export interface ProcessRepository {
  /** This store's own process id: it owns the delivery leases this store claims. */
  readonly selfId: string
  /** Records this process (again, if a peer took it for dead) with a fresh heartbeat. */
  register (info: { machine: string, pid: number }): Promise<void>
  /** Renews this process's heartbeat; false when its record is gone (a peer reaped it). */
  heartbeat (): Promise<boolean>
  /** Removes this process's record (clean stop, after its deliveries and handlers finished). */
  deregister (): Promise<void>
  /** Every registered process, oldest first. */
  list (): Promise<ProcessRecord[]>
  /**
   * In one transaction: removes the records of `deadIds` (never this process's own), then
   * releases every delivery (and audience resolution) lease whose holder is not a registered process.
   */
  reap (deadIds: string[]): Promise<ReapResult>
}
