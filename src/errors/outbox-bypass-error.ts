/**
 * apex tried to queue deliveries by itself, around the transactional outbox: a wiring mistake
 * (an apex path the hub does not route into its outbox), never an answer to a request.
 */
export class OutboxBypassError extends Error {
  constructor (readonly activityId: string) {
    super(`apex tried to queue ${activityId} for delivery directly; every publish must go through the hub's transactional outbox (Publisher)`)
    this.name = 'OutboxBypassError'
  }
}
