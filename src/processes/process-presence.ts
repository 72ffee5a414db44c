import type { Logger } from '../log/logger'
import type { HubStore } from '../store/store.port'
import { deadProcesses, machineId, pidIsRunning } from './process-identity'

/** What the presence keeps going besides the heartbeat; each is optional (the CLI only registers). */
export interface PresenceDuties {
  /** Wakes this process's delivery worker: it also sends what other (or dead) processes queued. */
  wakeDelivery?: () => void
  /** Finishes inbox journal entries no live process holds. */
  replayInbox?: () => Promise<number>
}

/** How often the presence beats, when a silent process counts as dead, and how often it polls the queues. */
export interface PresenceTiming {
  intervalMs: number
  staleMs: number
  /** How often the beat wakes the delivery worker to look at the queues (rounded to whole beats, at least one). */
  pollMs: number
}

/**
 * Beats every `intervalMs`; silent for six beats (at least 30 s) is dead, on another machine or
 * in another pid namespace. Polls the queues every `pollMs` (every beat unless told otherwise).
 */
export function presenceTiming (intervalMs: number, pollMs = intervalMs): PresenceTiming {
  return { intervalMs, staleMs: Math.max(30_000, 6 * intervalMs), pollMs }
}

/** The queues' poll where the store wakes the workers across processes (HUB_QUEUE_POLL_MS unset): a fallback only. */
export const WOKEN_POLL_MS = 30_000

/** Every 5 s (HUB_PROCESS_HEARTBEAT_MS), dead after 30 s of silence. */
export const DEFAULT_PRESENCE_TIMING: PresenceTiming = presenceTiming(5_000)

/**
 * This process's membership of the group of hub processes sharing one store. It registers the
 * process, renews its heartbeat, and on every beat releases what dead processes held (delivery
 * leases; their inbox journal entries are then unowned), polls the delivery queue and the outbox
 * (every beat, or every `pollMs` where the store wakes the workers itself), and finishes unowned
 * journal entries. A process on this machine that died is seen at once by its pid; one
 * elsewhere when its heartbeat goes stale.
 */
export class ProcessPresence {
  private timer: NodeJS.Timeout | null = null
  private beating: Promise<void> | null = null
  private readonly machine = machineId()
  private beats = 0

  constructor (
    private readonly store: HubStore,
    private readonly logger: Logger,
    private readonly duties: PresenceDuties = {},
    private readonly timing: PresenceTiming = DEFAULT_PRESENCE_TIMING,
    private readonly isRunning: (pid: number) => boolean = pidIsRunning
  ) {}

  /** This process's id in the registry (and on the delivery leases it holds). */
  get id (): string {
    return this.store.processes.selfId
  }

  /** Registers this process and releases what dead ones held; call before serving anything. */
  async register (): Promise<void> {
    await this.store.processes.register({ machine: this.machine, pid: process.pid })
    await this.reap()
  }

  /** Starts beating (and the duties) every interval; the first beat runs now. */
  start (): void {
    if (this.timer) return
    this.timer = setInterval(() => { void this.beat() }, this.timing.intervalMs)
    this.timer.unref()
    void this.beat()
  }

  /** Stops beating (first, when stopping: no new work is started). */
  async pause (): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.beating
  }

  /** Removes this process from the registry: call once its deliveries and handlers have finished. */
  async leave (): Promise<void> {
    await this.pause()
    await this.store.processes.deregister()
  }

  /** One beat: heartbeat, reap, then the duties. Never two at once. */
  async beat (): Promise<void> {
    this.beating ??= this.beatOnce().finally(() => { this.beating = null })
    await this.beating
  }

  private async beatOnce (): Promise<void> {
    try {
      if (!await this.store.processes.heartbeat()) {
        // A peer took this process for dead (a long pause): its leases may be sent twice, never lost.
        this.logger.warn({ process: this.id }, 'processes: this process was taken for dead; registered again')
        await this.store.processes.register({ machine: this.machine, pid: process.pid })
      }
      const released = await this.reap()
      // Where the store wakes the workers across processes the poll is only a fallback, every few beats.
      const pollEvery = Math.max(1, Math.round(this.timing.pollMs / this.timing.intervalMs))
      if (this.beats++ % pollEvery === 0 || released > 0) this.duties.wakeDelivery?.()
      if (this.duties.replayInbox) await this.duties.replayInbox()
    } catch (err) {
      this.logger.error({ err }, 'processes: the heartbeat failed')
    }
  }

  /** Releases what dead processes held; answers how many deliveries were released. */
  private async reap (): Promise<number> {
    const dead = deadProcesses(await this.store.processes.list(), this.id, Date.now(), this.timing.staleMs, this.machine, this.isRunning)
    const released = await this.store.processes.reap(dead)
    if (released.processes > 0 || released.deliveries > 0) {
      this.logger.info({ gone: dead, deliveries: released.deliveries }, 'processes: released what stopped processes held; their deliveries will be sent again')
    }
    return released.deliveries
  }
}
