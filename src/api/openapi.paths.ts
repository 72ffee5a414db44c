/**
 * OpenAPI paths of the co-op, service, follow and admin endpoints and of pools, pledges and
 * agreements. Request bodies reference the JSON Schemas in schemas/ (as components named by
 * their titles); they are never restated here.
 */
type Json = Record<string, unknown>

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: Json): Json => ({ 'application/json': { schema } })
const body = (name: string, required = true): Json => ({ required, content: json(ref(name)) })
const ok = (description: string): Json => ({ description, content: json({ type: 'object' }) })
const err = (description: string): Json => ({ description, content: json(ref('Error')) })
const bearer = [{ bearerToken: [] }]
const username = { name: 'username', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_]{0,29}$' } }
const id = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'A short local id (the last segment of one of this hub\'s IRIs) or a URL-encoded http(s) IRI; see docs/pools-and-agreements.md.',
  schema: { type: 'string' }
}
const refused = { 400: err('The body or a parameter is not valid; `fields` says which.'), 401: err('No token, or an unknown one.'), 403: err('The token does not act for the co-op that may do this.') }
const missing = { 404: err('Not known to this hub.') }
const conflict = { 409: err('The state forbids it (e.g. a fulfilled pledge cannot be withdrawn).') }

/** Co-ops, their services and follows, follow requests, and the admin's delivery view. */
export function coreApiPaths (): Json {
  return {
    '/api/v1/coops': { post: { summary: 'Register a co-op (admin)', security: bearer, requestBody: body('CoopCreateRequest'), responses: { 201: ok('The co-op\'s id, username and its first token (shown once).'), ...refused, 409: err('The username is taken.') } } },
    '/api/v1/coops/{username}': {
      get: { summary: 'A co-op and its services', parameters: [username], responses: { 200: ok('The co-op.'), ...missing } },
      patch: { summary: 'Edit the co-op\'s profile (co-op or admin; federates an Update of its actor)', security: bearer, parameters: [username], requestBody: body('CoopUpdateRequest'), responses: { 200: ok('The co-op after the edit.'), ...refused, ...missing } }
    },
    '/api/v1/coops/{username}/services/{key}': {
      put: { summary: 'Create or replace a hosted service (federates Create or Update)', security: bearer, parameters: [username, { name: 'key', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } }], requestBody: body('ServicePutRequest'), responses: { 200: ok('Replaced.'), 201: ok('Created.'), ...refused, ...missing } },
      delete: { summary: 'Delete a hosted service (federates Delete)', security: bearer, parameters: [username, { name: 'key', in: 'path', required: true, schema: { type: 'string' } }], responses: { 204: { description: 'Deleted.' }, ...refused, ...missing } }
    },
    '/api/v1/services': { get: { summary: 'Hosted services this hub lists, local and federated', parameters: [{ name: 'coop', in: 'query', schema: { type: 'string' } }, { name: 'category', in: 'query', schema: { type: 'string' } }], responses: { 200: ok('{items}'), 400: err('Bad query.') } } },
    '/api/v1/coops/{username}/follows': {
      post: { summary: 'Follow an actor (user@host or actor URL)', security: bearer, parameters: [username], requestBody: body('FollowCreateRequest'), responses: { 202: ok('The follow, pending.'), ...refused, 409: err('Already following.') } },
      get: { summary: 'Follows the co-op sent', security: bearer, parameters: [username], responses: { 200: ok('{items}'), ...refused } }
    },
    '/api/v1/coops/{username}/follow-requests': { get: { summary: 'Follow requests awaiting approval', security: bearer, parameters: [username], responses: { 200: ok('{items}'), ...refused } } },
    '/api/v1/coops/{username}/follow-requests/{id}/accept': { post: { summary: 'Accept a follow request', security: bearer, parameters: [username, { ...id, description: 'The Follow activity id.' }], responses: { 200: ok('The request.'), ...refused, ...missing, ...conflict } } },
    '/api/v1/coops/{username}/follow-requests/{id}/reject': { post: { summary: 'Reject a follow request', security: bearer, parameters: [username, { ...id, description: 'The Follow activity id.' }], responses: { 200: ok('The request.'), ...refused, ...missing, ...conflict } } },
    '/api/v1/admin/deliveries': { get: { summary: 'Delivery queue size and recent failures (admin)', security: bearer, responses: { 200: ok('{queued, failures}'), ...refused } } }
  }
}

/** Funding pools, pledges, member-exchange agreements and the Nextcloud trusted-servers bridge. */
export function poolAndAgreementPaths (): Json {
  const decision = { required: false, content: json(ref('AgreementDecisionRequest')) }
  const act = (summary: string): Json => ({ post: { summary, security: bearer, parameters: [id], requestBody: decision, responses: { 200: ok('The pledge or agreement after the change.'), ...refused, ...missing, ...conflict } } })
  return {
    '/api/v1/coops/{username}/pools': { post: { summary: 'Open a funding pool stewarded by the co-op (federates Create)', security: bearer, parameters: [username], requestBody: body('PoolCreateRequest'), responses: { 201: ok('The pool.'), ...refused } } },
    '/api/v1/pools': { get: { summary: 'Pools this hub knows, local and federated', parameters: [{ name: 'coop', in: 'query', schema: { type: 'string' } }, { name: 'local', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } }], responses: { 200: ok('{items}'), 400: err('Bad query.') } } },
    '/api/v1/pools/{id}': {
      get: { summary: 'A pool with the pledges this hub knows', parameters: [id], responses: { 200: ok('The pool, its totals per currency, and pledges.'), 400: err('Bad id.'), ...missing } },
      patch: { summary: 'Edit, close or cancel a pool (steward; federates Update)', security: bearer, parameters: [id], requestBody: body('PoolUpdateRequest'), responses: { 200: ok('The pool.'), ...refused, ...missing, ...conflict } },
      delete: { summary: 'Delete a pool (steward; federates Delete)', security: bearer, parameters: [id], responses: { 204: { description: 'Deleted.' }, ...refused, ...missing } }
    },
    '/api/v1/coops/{username}/pledges': {
      post: { summary: 'Pledge to a pool on any hub (Offer to its steward)', security: bearer, parameters: [username], requestBody: body('PledgeCreateRequest'), responses: { 202: ok('The pledge, offered; the steward accepts or rejects it.'), ...refused, 422: err('The pool, as this hub sees it, would refuse the pledge (closed, past its deadline, another currency); `message` says why.'), 502: err('The pool could not be fetched from its hub.') } },
      get: { summary: 'Pledges the co-op made', parameters: [username], responses: { 200: ok('{items}'), ...missing } }
    },
    '/api/v1/pledges/{id}': { get: { summary: 'A pledge (by its Pledge or Offer id)', parameters: [id], responses: { 200: ok('The pledge.'), ...missing } } },
    '/api/v1/pledges/{id}/withdraw': act('Withdraw a pledge before it is fulfilled (pledger; federates Undo)'),
    '/api/v1/pledges/{id}/fulfil': act('Mark a pledge fulfilled: the money arrived (steward)'),
    '/api/v1/pledges/{id}/accept': act('Accept a pledge awaiting approval (steward)'),
    '/api/v1/pledges/{id}/reject': act('Reject a pledge awaiting approval, with a reason (steward)'),
    '/api/v1/coops/{username}/agreements': { post: { summary: 'Offer a member-exchange agreement to other co-ops', security: bearer, parameters: [username], requestBody: body('AgreementCreateRequest'), responses: { 201: ok('The agreement, proposed.'), ...refused } } },
    '/api/v1/agreements': { get: { summary: 'Agreements this hub knows', parameters: [{ name: 'coop', in: 'query', description: 'Only those this local co-op is a party to.', schema: { type: 'string' } }], responses: { 200: ok('{items}'), 400: err('Bad query.'), ...missing } } },
    '/api/v1/agreements/{id}': {
      get: { summary: 'An agreement: status now, the version in force and any pending amendment', parameters: [id], responses: { 200: ok('The agreement.'), ...missing } },
      patch: { summary: 'Amend an agreement (a party; needs every party\'s acceptance again)', security: bearer, parameters: [id], requestBody: body('AgreementAmendRequest'), responses: { 200: ok('The agreement.'), ...refused, ...missing, ...conflict } }
    },
    '/api/v1/agreements/{id}/accept': act('Accept the version awaiting decisions (a party)'),
    '/api/v1/agreements/{id}/reject': act('Reject the version awaiting decisions (a party)'),
    '/api/v1/agreements/{id}/terminate': act('Terminate an agreement in force, at effectiveTime or now (a party)'),
    '/api/v1/coops/{username}/trusted-servers': {
      get: {
        summary: 'Partner Nextcloud/ownCloud servers from agreements in force, for Nextcloud\'s "Trusted servers"',
        parameters: [username, { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'text'] } }],
        responses: { 200: { description: 'JSON {urls, items}, or one URL a line (format=text or Accept: text/plain).', content: { 'application/json': { schema: { type: 'object' } }, 'text/plain': { schema: { type: 'string' } } } }, ...missing }
      }
    }
  }
}
