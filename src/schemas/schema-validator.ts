import Ajv, { ErrorObject, ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { FieldErrors, ValidationError } from '../errors/app-errors'
import { allSchemaDocuments } from './schema-files'
import type { CoopCreateRequest } from './generated/coop-create'
import type { FollowCreateRequest } from './generated/follow-create'
import type { HostedService } from './generated/hosted-service'
import type { ServicePutRequest } from './generated/service-put'
import type { SourceCreateRequest } from './generated/source-create'
import type { DirectoryEntry } from './generated/directory-entry'
import type { DirectoryFeed } from './generated/directory-feed'
import type { DomainBlockCreateRequest } from './generated/domain-block-create'
import type { AgreementAmendRequest } from './generated/agreement-amend'
import type { AgreementCreateRequest } from './generated/agreement-create'
import type { AgreementDecisionRequest } from './generated/agreement-decision'
import type { FundingPool } from './generated/funding-pool'
import type { MemberExchangeAgreement } from './generated/member-exchange-agreement'
import type { Pledge } from './generated/pledge'
import type { PledgeCreateRequest } from './generated/pledge-create'
import type { PoolCreateRequest } from './generated/pool-create'
import type { PoolUpdateRequest } from './generated/pool-update'
import type { CoopUpdateRequest } from './generated/coop-update'
import type { DirectoryEntryAs2 } from './generated/directory-entry-as2'
import type { CommitmentCreateRequest } from './generated/commitment-create'
import type { Decision } from './generated/decision'
import type { DecisionCreateRequest } from './generated/decision-create'
import type { ProjectCommitment } from './generated/project-commitment'
import type { ProjectPutRequest } from './generated/project-put'
import type { SharedProject } from './generated/shared-project'
import type { Vote } from './generated/vote'
import type { VoteCreateRequest } from './generated/vote-create'
import type { ProgressPostRequest } from './generated/progress-post'
import type { UmbrellaCreateRequest } from './generated/umbrella-create'
import type { UmbrellaUpdateRequest } from './generated/umbrella-update'
import type { MembershipRequest } from './generated/membership-request'
import type { UmbrellaMemberAddRequest } from './generated/umbrella-member-add'

/** Maps each schema (by its file below schemas/) to the type generated from it. */
export interface SchemaTypes {
  'api/coop-create.schema.json': CoopCreateRequest
  'api/follow-create.schema.json': FollowCreateRequest
  'api/service-put.schema.json': ServicePutRequest
  'api/domain-block-create.schema.json': DomainBlockCreateRequest
  'objects/hosted-service.schema.json': HostedService
  'api/source-create.schema.json': SourceCreateRequest
  'objects/directory-entry.schema.json': DirectoryEntry
  'objects/directory-feed.schema.json': DirectoryFeed
  'api/pool-create.schema.json': PoolCreateRequest
  'api/pool-update.schema.json': PoolUpdateRequest
  'api/pledge-create.schema.json': PledgeCreateRequest
  'api/agreement-create.schema.json': AgreementCreateRequest
  'api/agreement-amend.schema.json': AgreementAmendRequest
  'api/agreement-decision.schema.json': AgreementDecisionRequest
  'objects/funding-pool.schema.json': FundingPool
  'objects/pledge.schema.json': Pledge
  'objects/member-exchange-agreement.schema.json': MemberExchangeAgreement
  'api/coop-update.schema.json': CoopUpdateRequest
  'objects/directory-entry-as2.schema.json': DirectoryEntryAs2
  'api/project-put.schema.json': ProjectPutRequest
  'api/commitment-create.schema.json': CommitmentCreateRequest
  'api/decision-create.schema.json': DecisionCreateRequest
  'api/vote-create.schema.json': VoteCreateRequest
  'api/progress-post.schema.json': ProgressPostRequest
  'objects/decision.schema.json': Decision
  'objects/vote.schema.json': Vote
  'objects/shared-project.schema.json': SharedProject
  'objects/project-commitment.schema.json': ProjectCommitment
  'api/umbrella-create.schema.json': UmbrellaCreateRequest
  'api/umbrella-update.schema.json': UmbrellaUpdateRequest
  'api/membership-request.schema.json': MembershipRequest
  'api/umbrella-member-add.schema.json': UmbrellaMemberAddRequest
}

export type SchemaName = keyof SchemaTypes

const BASE = 'https://w3id.org/ioocloud/schemas/'

/** Compiles every schema in schemas/ once; validates API bodies and federated objects alike. */
export class SchemaValidator {
  private readonly ajv: Ajv
  private readonly compiled = new Map<string, ValidateFunction>()

  constructor () {
    // allErrors: a person fixing a request wants every problem at once, not one per round trip.
    this.ajv = new Ajv({ allErrors: true, strict: true })
    addFormats(this.ajv)
    // tsType only steers type generation.
    this.ajv.addKeyword('tsType')
    for (const [, doc] of allSchemaDocuments()) this.ajv.addSchema(doc)
  }

  /** Returns `data` typed by the schema, or throws a ValidationError with one message per field. */
  validate<N extends SchemaName> (name: N, data: unknown, what = 'request body'): SchemaTypes[N] {
    const check = this.compile(name)
    if (check(data)) return data as SchemaTypes[N]
    const fields = fieldErrors(check.errors ?? [])
    const list = Object.entries(fields).map(([f, m]) => `${f} ${m}`).join('; ')
    throw new ValidationError(`The ${what} is not valid: ${list}`, fields)
  }

  private compile (name: string): ValidateFunction {
    let fn = this.compiled.get(name)
    if (!fn) {
      fn = this.ajv.getSchema(BASE + name)
      if (!fn) throw new Error(`No schema named ${name}`)
      this.compiled.set(name, fn)
    }
    return fn
  }
}

/** Turns ajv's errors into `{field: message}`, the first message per field, in words. */
function fieldErrors (errors: ErrorObject[]): FieldErrors {
  const fields: FieldErrors = {}
  for (const err of errors) {
    // oneOf/allOf wrappers repeat what their branches already said.
    if (err.keyword === 'oneOf' || err.keyword === 'if') continue
    let field = err.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)'
    let message = err.message ?? 'is not valid'
    if (err.keyword === 'required') {
      const missing = (err.params as { missingProperty: string }).missingProperty
      field = field === '(body)' ? missing : `${field}.${missing}`
      message = 'is required'
    } else if (err.keyword === 'additionalProperties') {
      const extra = (err.params as { additionalProperty: string }).additionalProperty
      field = field === '(body)' ? extra : `${field}.${extra}`
      message = 'is not a known field'
    } else if (err.keyword === 'enum') {
      message = `must be one of: ${(err.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`
    } else if (err.keyword === 'pattern') {
      message = describePattern(field, (err.params as { pattern: string }).pattern)
    }
    if (!(field in fields)) fields[field] = message
  }
  return fields
}

function describePattern (field: string, pattern: string): string {
  if (pattern === '^https?://') return 'must be an http or https URL'
  if (pattern === '^[A-Z]{2}$') return 'must be a two-letter ISO 3166 country code in capitals, e.g. DE'
  if (pattern === '^[A-Z]{3}$') return 'must be a three-letter ISO 4217 currency code in capitals, e.g. EUR'
  if (pattern.startsWith('^(0|[1-9][0-9]{0,17})')) return 'must be a decimal string with digits and at most one point, e.g. "12.50" (no sign, exponent or separators)'
  if (field === 'username') return 'must be 1 to 30 characters: lower-case letters, digits and _, starting with a letter or digit'
  if (pattern.startsWith('^[a-z0-9][a-z0-9-]')) return 'must be a lower-case slug of letters, digits and -, e.g. file-hosting'
  return `must match ${pattern}`
}
