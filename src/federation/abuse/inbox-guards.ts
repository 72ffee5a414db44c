import type { Request } from 'express'
import { DomainBlockedError, RateLimitedError } from '../../errors/app-errors'
import { hostOf } from '../../domain/domain-block'
import type { Logger } from '../../log/logger'
import { rawActorId } from '../inbox/inbox-authentication'
import type { DomainBlock } from '../../store/ports/domain-blocks.port'
import type { DomainBlockService } from './domain-block.service'
import type { RateLimiter } from './rate-limiter'
import type { InboxStep } from '../inbox/inbox-steps'

/** The keyId a request claims to be signed with (draft-cavage or RFC 9421), not yet verified. */
export function claimedKeyId (req: Request): string | null {
  for (const header of [req.get('signature-input'), req.get('signature'), req.get('authorization')]) {
    const match = header ? /keyid\s*=\s*"([^"]*)"/i.exec(header) : null
    if (match) return match[1]
  }
  return null
}

/**
 * Per-client-address rate limit on inbox POSTs, before the body is read or a key fetched. It
 * counts the connection's address, never what the request claims (a keyId's host is the
 * sender's to choose until the signature is verified). Over the limit: 429 with `Retry-After`.
 */
export function inboxAddressRateLimit (limiter: RateLimiter, logger: Logger): InboxStep {
  return req => {
    const address = req.socket.remoteAddress ?? 'unknown'
    const decision = limiter.take(address)
    if (decision.allowed) return
    logger.info({ address, retryAfter: decision.retryAfterSeconds }, 'inbox: rate limit of a client address reached')
    throw new RateLimitedError(`Too many requests from the address ${address}; try again in ${decision.retryAfterSeconds} s`, decision.retryAfterSeconds)
  }
}

/**
 * Per-remote-host rate limit on inbox POSTs, after the signature is verified: the host of the
 * verified sender. Over the limit: 429 with `Retry-After`.
 */
export function verifiedHostRateLimit (limiter: RateLimiter, logger: Logger): InboxStep {
  return (_req, res) => {
    const sender = (res.locals.apex as { sender?: { id?: unknown } } | undefined)?.sender
    const host = typeof sender?.id === 'string' ? hostOf(sender.id) : null
    if (host === null) return
    const decision = limiter.take(host)
    if (decision.allowed) return
    logger.info({ host, retryAfter: decision.retryAfterSeconds }, 'inbox: rate limit of a remote host reached')
    throw new RateLimitedError(`Too many requests from ${host}; try again in ${decision.retryAfterSeconds} s`, decision.retryAfterSeconds)
  }
}

/**
 * Refuses inbox POSTs from blocked domains (403) before any key is fetched: neither the host of
 * the signature's keyId nor that of the activity's actor may be blocked.
 */
export function refuseBlockedDomains (blocks: DomainBlockService): InboxStep {
  return req => {
    const keyId = claimedKeyId(req)
    const body = req.body as Record<string, unknown> | undefined
    const actorId = body && typeof body === 'object' ? rawActorId(body) : null
    const candidates = [keyId, actorId].filter((v): v is string => typeof v === 'string')
    // The key and the actor are nearly always on one host: ask once.
    if (candidates.length === 2 && hostOf(candidates[0]) === hostOf(candidates[1])) candidates.pop()
    const refuse = (i: number, block: DomainBlock | null): void => {
      if (block) throw new DomainBlockedError(`Requests from ${hostOf(candidates[i])} are refused: the domain ${block.domain} is blocked on this hub`)
    }
    // One candidate after the other, without a promise for an answer kept and known current
    // (nearly every request), else as a chain (this runs on every inbox request).
    const refuseFrom = (i: number): Promise<void> | undefined => {
      for (; i < candidates.length; i++) {
        const kept = blocks.blockOfNow(candidates[i])
        if (kept === undefined) break
        refuse(i, kept)
      }
      if (i >= candidates.length) return undefined
      return blocks.blockOf(candidates[i]).then(block => {
        refuse(i, block)
        return refuseFrom(i + 1)
      })
    }
    return refuseFrom(0)
  }
}
