// Typings for the parts of activitypub-express (apex) 4.4.2 the hub uses. apex ships no types.
declare module 'activitypub-express' {
  import type { RequestHandler } from 'express'

  type Node = { id: string, type: string | string[], _meta?: Record<string, unknown>, [key: string]: unknown }

  export interface ApexSettings {
    name: string
    version: string
    baseUrl: string
    actorParam: string
    objectParam: string
    activityParam?: string
    collectionParam?: string
    pageParam?: string
    itemsPerPage?: number
    routes: Record<string, string>
    context?: unknown
    store: unknown
    logger?: unknown
    offlineMode?: boolean
    threadDepth?: number
    systemUser?: unknown
    requestTimeout?: number
    endpoints?: Record<string, string>
  }

  export interface ApexMiddleware extends RequestHandler {
    baseUrl: string
    domain: string
    context: unknown[]
    store: unknown
    settings: ApexSettings
    consts: { publicAddress: string, jsonldTypes: string[], jsonldOutgoingType: string }
    net: {
      validators: Record<string, RequestHandler>
      security: Record<string, RequestHandler>
      activity: Record<string, RequestHandler>
      collection: Record<string, RequestHandler>
      responders: Record<string, RequestHandler>
      [bundle: string]: Record<string, RequestHandler | RequestHandler[]>
    }
    utils: {
      usernameToIRI: (username: string) => string
      objectIdToIRI: (id?: string) => string
      activityIdToIRI: (id?: string) => string
      nameToActorStreams: (username: string) => Record<string, string>
      [name: string]: (...args: string[]) => unknown
    }
    fromJSONLD: (doc: Record<string, unknown>) => Promise<Node>
    toJSONLD: (node: Record<string, unknown>) => Promise<Record<string, unknown>>
    stringifyPublicJSONLD: (node: unknown) => string
    buildActivity: (type: string, actorId: string, to: unknown, etc?: Record<string, unknown>) => Promise<Node>
    buildTombstone: (object: Node) => Promise<Node>
    addToOutbox: (actor: Node, activity: Node) => Promise<unknown>
    acceptFollow: (actor: Node, follow: Node) => Promise<{ postTask: () => Promise<unknown>, updated: Node }>
    publishActivity: (actor: Node, activity: Node, audience?: string[]) => Promise<unknown>
    /** The IRIs in an activity's to, bto, cc, bcc and audience. */
    audienceFromActivity: (activity: Node) => string[]
    /** Resolves an audience (collections, actors; may fetch) into distinct inboxes, shared ones preferred. */
    address: (activity: Node, sender: Node, audienceOverride?: string[]) => Promise<string[]>
    resolveObject: (id: unknown, includeMeta?: boolean, refresh?: boolean, localOnly?: boolean) => Promise<Node | undefined>
    getFollowers: (actor: Node, page?: unknown, includePrivate?: boolean) => Promise<Node & { orderedItems: Node[] }>
    getCollection: (id: string, page?: unknown) => Promise<Node>
    /** The actors `actor` blocked (ids in `orderedItems`). */
    getBlocked: (actor: Node, page?: unknown, includePrivate?: boolean) => Promise<Node & { orderedItems: unknown[] }>
    objectIdFromActivity: (activity: Node) => string | null
    actorIdFromActivity: (activity: Node) => string
    validateOwner: (object: unknown, actor: { id: string }) => boolean
    // Overridable parts, replaced by the hub.
    requestObject: (id: string) => Promise<Node | null>
    queueForDelivery: (actor: Node, activity: Node, addresses: string[]) => Promise<unknown>
    startDelivery: () => unknown
    runDelivery: () => unknown
    jsonldContextLoader: (url: string) => Promise<{ contextUrl: null, documentUrl: string, document: unknown }>
    [name: string]: unknown
  }

  function ActivitypubExpress (settings: ApexSettings): ApexMiddleware
  export default ActivitypubExpress
}
