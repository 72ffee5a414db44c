/**
 * The scheduler's part in decisions: an expirer for the `expiry` job that closes the umbrellas'
 * decisions whose `closesAt` has passed and applies their actions.
 */
import type { DecisionsService } from './decisions.service'

/** An expirer (the shape the `expiry` job runs) closing due decisions. */
export function decisionsExpirer (decisions: Pick<DecisionsService, 'closeDue'>): { label: string, expireDue: (now: string) => Promise<{ expired: number, checked: number }> } {
  return { label: 'decisions', expireDue: async now => await decisions.closeDue(now) }
}
