/** A real SQLite store in a temp directory, a fake membership and a recording publisher for the umbrella services. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { SchemaValidator } from '../../src/schemas/schema-validator'
import { DecisionsService } from '../../src/umbrellas/decisions.service'
import { ProjectsService } from '../../src/umbrellas/projects.service'
import type { OutgoingActivity } from '../../src/umbrellas/umbrella-work.deps'

export const UMBRELLA = 'https://u.test/u/net'
export const ALPHA = 'https://a.test/u/alpha'
export const BETA = 'https://b.test/u/beta'
export const GAMMA = 'https://c.test/u/gamma'
export const OUTSIDER = 'https://x.test/u/outsider'

/** Everything a service test needs; `clock.now` is the services' time. */
export interface Bench {
  store: SqliteStore
  members: Set<string>
  sent: OutgoingActivity[]
  admitted: string[]
  /** Co-ops whose Join a closed admission refused, with the reason. */
  refused: Array<{ coop: string, reason: string }>
  clock: { now: string }
  projects: ProjectsService
  decisions: DecisionsService
  close: () => void
}

const schemas = new SchemaValidator()

/** Opens a fresh store with ALPHA and BETA as members of UMBRELLA. */
export function openBench (): Bench {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-umbrella-svc-'))
  const store = new SqliteStore(path.join(dir, 'hub.sqlite'))
  const members = new Set([ALPHA, BETA])
  const sent: OutgoingActivity[] = []
  const admitted: string[] = []
  const refused: Array<{ coop: string, reason: string }> = []
  const clock = { now: '2026-03-01T12:00:00.000Z' }
  let n = 0
  const membership = {
    isMember: async (u: string, c: string) => u === UMBRELLA && members.has(c),
    listMembers: async (u: string) => u === UMBRELLA ? [...members].map(actorId => ({ actorId })) : []
  }
  const common = { store, membership, schemas, publish: async (a: OutgoingActivity) => { sent.push(a) }, now: () => clock.now, newObjectId: () => `https://hub.test/o/${++n}` }
  const projects = new ProjectsService(common)
  const decisions = new DecisionsService({
    ...common,
    projects,
    newId: () => `d${++n}`,
    membershipActions: {
      admitMember: async (_u: string, coop: string) => { admitted.push(coop); members.add(coop) },
      removeMember: async (_u: string, coop: string) => { members.delete(coop) },
      refuseMember: async (_u: string, coop: string, _d: string, reason: string) => { refused.push({ coop, reason }) }
    }
  })
  return { store, members, sent, admitted, refused, clock, projects, decisions, close: () => { store.close(); fs.rmSync(dir, { recursive: true, force: true }) } }
}
