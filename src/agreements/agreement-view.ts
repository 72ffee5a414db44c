import {
  AgreementRecord, AgreementVersion, currentVersion, effectiveStatus, openingsOf, ServiceOpening
} from '../domain/member-exchange-agreement'

/** One version as the API shows it. */
export interface AgreementVersionView {
  id: string
  author: string
  name: string
  terms: string
  services: ServiceOpening[]
  startTime: string
  endTime: string | null
  state: AgreementVersion['state']
  decisions: AgreementVersion['decisions']
}

/** An agreement as the API shows it: its status now, the version in force, and any pending one. */
export interface AgreementView {
  id: string
  status: ReturnType<typeof effectiveStatus>
  proposedBy: string
  parties: string[]
  /** The version in force; before any is, the one proposed. */
  current: AgreementVersionView
  /** An amendment awaiting decisions while `current` stays in force; null when none. */
  pending: AgreementVersionView | null
  termination: AgreementRecord['termination']
  versions: number
  updatedAt: string
}

/** The API view of an agreement as of `now`. */
export function toAgreementView (record: AgreementRecord, now: string): AgreementView {
  const current = currentVersion(record)
  const pending = record.pendingVersionId && record.pendingVersionId !== current.id
    ? record.versions.find(v => v.id === record.pendingVersionId) ?? null
    : null
  return {
    id: record.id,
    status: effectiveStatus(record, now),
    proposedBy: record.versions[0].author,
    parties: record.parties,
    current: versionView(current),
    pending: pending ? versionView(pending) : null,
    termination: record.termination,
    versions: record.versions.length,
    updatedAt: record.updatedAt
  }
}

function versionView (v: AgreementVersion): AgreementVersionView {
  return {
    id: v.id,
    author: v.author,
    name: v.object.name,
    terms: v.object.content,
    services: openingsOf(v.object),
    startTime: v.object.startTime,
    endTime: v.object.endTime ?? null,
    state: v.state,
    decisions: v.decisions
  }
}
