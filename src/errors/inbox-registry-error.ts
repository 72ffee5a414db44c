/** A second handler for an (activity type, object type) pair: a wiring mistake caught at start. */
export class DuplicateInboxHandlerError extends Error {
  constructor (readonly activityType: string, readonly objectType: string) {
    super(`The inbox already has a handler for (${activityType}, ${objectType}); each pair has exactly one`)
    this.name = 'DuplicateInboxHandlerError'
  }
}
