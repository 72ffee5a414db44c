/**
 * Storage of member-exchange agreements: each agreement with its parties and every version
 * (proposal, amendment, termination) and each party's decision on it.
 */
import type { AgreementRecord } from '../../domain/member-exchange-agreement'

export type { AgreementRecord }

/** Agreements; every method answers a Promise (the MongoDB adapter to come is async). */
export interface AgreementRepository {
  /** Inserts or replaces the whole agreement (record, parties, versions) in one transaction. */
  saveAgreement(agreement: AgreementRecord): Promise<void>
  getAgreement(id: string): Promise<AgreementRecord | null>
  /** The agreement one of whose versions has this id, or was proposed by this activity. */
  findByVersionOrActivity(iri: string): Promise<AgreementRecord | null>
  /** Newest first; `party` keeps those the actor is a party to. */
  listAgreements(filter?: { party?: string }): Promise<AgreementRecord[]>
}
