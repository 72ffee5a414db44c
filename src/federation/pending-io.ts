/**
 * Letting requests that arrived meanwhile run before a long piece of work goes on.
 *
 * Work made of awaited promises alone (JSON-LD, better-sqlite3 calls) never returns to the event
 * loop: a publish and the first page of its audience ran as one task, and every request that
 * arrived meanwhile waited for all of it. One `setImmediate` is not enough from a request
 * handler: it runs in the same turn of the loop, before sockets are read again. Two are: the
 * second runs after the next read of the sockets.
 */

const immediate = async (): Promise<void> => { await new Promise<void>(resolve => setImmediate(resolve)) }

/** Resolves after the event loop has read its sockets again and run what was waiting. */
export async function afterPendingIo (): Promise<void> {
  await immediate()
  await immediate()
}
