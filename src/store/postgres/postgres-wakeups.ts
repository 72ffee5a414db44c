/**
 * Wake-ups between hub processes over PostgreSQL's LISTEN/NOTIFY: a process that queues
 * deliveries or audience resolutions notifies a channel, and every process listening on it
 * claims at once instead of at its next poll. A notification is only a hint (it carries nothing
 * and may be lost while a connection is down): the workers keep polling on every heartbeat.
 */
import pg from 'pg'
import type { Queryable } from './postgres-database'
import type { StoreWakeups, WakeupTopic } from '../ports/wakeups.port'
import { withLibpqSslModes } from './libpq-ssl-modes'

/** The channels the store notifies, by topic. */
export const WAKEUP_CHANNELS = {
  /** Deliveries were queued or released: claim them. */
  deliveries: 'hub_deliveries',
  /** Audience resolutions were published or released: resolve them. */
  outbox: 'hub_outbox'
} as const

export type WakeupChannel = typeof WAKEUP_CHANNELS[keyof typeof WAKEUP_CHANNELS]

/** Notifies a channel; inside a transaction it is sent at commit, and not at all on rollback. */
export async function notifyWakeup (db: Queryable, channel: WakeupChannel): Promise<void> {
  await db.query('SELECT pg_notify($1, \'\')', [channel])
}

/** One listening connection per process; reconnects after a failure while not closed. */
export class PostgresWakeups {
  private client: pg.Client | null = null
  private readonly handlers = new Map<string, Array<() => void>>()
  private closed = false
  private retry: NodeJS.Timeout | null = null

  /** `retryMs`: how long to wait before listening again after the connection failed. */
  constructor (private readonly url: string, private readonly retryMs = 5_000) {}

  /** Calls `onWake` on every notification of `channel` (from any process, this one included). */
  async listen (channel: WakeupChannel, onWake: () => void): Promise<void> {
    const known = this.handlers.get(channel)
    if (known) known.push(onWake)
    else this.handlers.set(channel, [onWake])
    if (this.client) await this.client.query(`LISTEN ${channel}`)
    else await this.connect()
  }

  /** Stops listening and closes the connection. */
  async close (): Promise<void> {
    this.closed = true
    if (this.retry) clearTimeout(this.retry)
    const client = this.client
    this.client = null
    await client?.end().catch(() => {})
  }

  private async connect (): Promise<void> {
    const client = new pg.Client({ connectionString: withLibpqSslModes(this.url), application_name: 'ioocloud-hub wake-ups' })
    client.on('notification', message => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler()
    })
    client.on('error', () => { this.lost(client) })
    client.on('end', () => { this.lost(client) })
    await client.connect()
    // Closed while this connection was being opened: it must not outlive the close (a listening
    // connection keeps the process from exiting).
    if (this.closed) {
      await client.end().catch(() => {})
      return
    }
    this.client = client
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`)
  }

  /** The connection failed: the workers' polling covers the gap until it is back. */
  private lost (client: pg.Client): void {
    if (this.client !== client) return
    this.client = null
    this.reconnectLater()
  }

  private reconnectLater (): void {
    if (this.closed || this.retry) return
    this.retry = setTimeout(() => {
      this.retry = null
      if (!this.closed) this.connect().catch(() => { this.reconnectLater() })
    }, this.retryMs)
    this.retry.unref()
  }
}

/**
 * The store's wake-ups on PostgreSQL: the listening connection is opened at the first `listen`
 * (a CLI command or a test that never listens opens none) and closed with the store.
 */
export class PostgresStoreWakeups implements StoreWakeups {
  readonly acrossProcesses = true
  private listener: PostgresWakeups | null = null

  constructor (private readonly url: string) {}

  /** Listens on the topic's channel (one connection for every topic). */
  async listen (topic: WakeupTopic, onWake: () => void): Promise<void> {
    this.listener ??= new PostgresWakeups(this.url)
    await this.listener.listen(WAKEUP_CHANNELS[topic], onWake)
  }

  /** Closes the listening connection, if one was opened. */
  async close (): Promise<void> {
    await this.listener?.close()
  }
}
