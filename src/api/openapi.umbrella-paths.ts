/**
 * OpenAPI paths of umbrella organisations and memberships. Request bodies reference the JSON
 * Schemas in schemas/ (components named by their titles).
 */
type Json = Record<string, unknown>

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: Json): Json => ({ 'application/json': { schema } })
const body = (name: string): Json => ({ required: true, content: json(ref(name)) })
const ok = (description: string): Json => ({ description, content: json({ type: 'object' }) })
const err = (description: string): Json => ({ description, content: json(ref('Error')) })
const bearer = [{ bearerToken: [] }]
const username = { name: 'username', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_]{0,29}$' } }
const refused = { 400: err('The body or a parameter is not valid; `fields` says which.'), 401: err('No token, or an unknown one.'), 403: err('The token does not act for this umbrella or co-op.') }
const missing = { 404: err('Not known to this hub.') }
const conflict = { 409: err('The state forbids it (already a member, already answered).') }
const joinId = { name: 'id', in: 'path', required: true, description: 'The URL-encoded Join activity id.', schema: { type: 'string' } }
const member = { name: 'member', in: 'path', required: true, description: 'The URL-encoded actor id of the member.', schema: { type: 'string' } }

/** Umbrellas, their members and join requests, and a co-op's memberships. */
export function umbrellaPaths (): Json {
  const answer = (what: string): Json => ({ post: { summary: `${what} a pending Join (umbrella or admin token; federates ${what === 'Accept' ? 'Accept and Add' : 'Reject'})`, security: bearer, parameters: [username, joinId], responses: { 200: ok('The join request after the answer.'), ...refused, ...missing, ...conflict } } })
  return {
    '/api/v1/umbrellas': {
      post: { summary: 'Register an umbrella (admin)', security: bearer, requestBody: body('UmbrellaCreateRequest'), responses: { 201: ok('The umbrella\'s id, username and its first token (shown once).'), ...refused, 409: err('The username is taken by a co-op or umbrella.') } },
      get: { summary: 'The umbrellas on this hub', responses: { 200: ok('{items}') } }
    },
    '/api/v1/umbrellas/{username}': {
      get: { summary: 'An umbrella: profile, policy, number of members', parameters: [username], responses: { 200: ok('The umbrella.'), ...missing } },
      patch: { summary: 'Edit name, summary or membership policy (umbrella or admin; federates an Update of its actor)', security: bearer, parameters: [username], requestBody: body('UmbrellaUpdateRequest'), responses: { 200: ok('The umbrella after the edit.'), ...refused, ...missing } }
    },
    '/api/v1/umbrellas/{umbrella}/members': {
      get: { summary: 'Current members with their hubs (public): a local umbrella by username, or a remote one this hub keeps a list of by URL-encoded actor id', parameters: [{ name: 'umbrella', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: ok('{umbrella, items: [{actorId, hub, since}]}'), ...missing } },
      post: { summary: 'Add a member without a Join (admin; federates Add)', security: bearer, parameters: [{ ...username, name: 'umbrella' }], requestBody: body('UmbrellaMemberAddRequest'), responses: { 201: ok('The member.'), ...refused, ...missing, ...conflict } }
    },
    '/api/v1/umbrellas/{username}/members/{member}': {
      delete: { summary: 'Remove a member (umbrella or admin; federates Remove)', security: bearer, parameters: [username, member], responses: { 204: { description: 'Removed.' }, ...refused, ...missing } }
    },
    '/api/v1/umbrellas/{username}/join-requests': { get: { summary: 'Joins received, pending first (umbrella or admin)', security: bearer, parameters: [username], responses: { 200: ok('{items}'), ...refused, ...missing } } },
    '/api/v1/umbrellas/{username}/join-requests/{id}/accept': answer('Accept'),
    '/api/v1/umbrellas/{username}/join-requests/{id}/reject': answer('Reject'),
    '/api/v1/coops/{username}/memberships': {
      post: { summary: 'Ask to join an umbrella on any hub (name@host or actor URL; federates Join)', security: bearer, parameters: [username], requestBody: body('MembershipRequest'), responses: { 202: ok('The membership, pending.'), ...refused, ...conflict, 502: err('The umbrella could not be reached.') } },
      get: { summary: 'The co-op\'s memberships: pending, member, refused, left, removed', security: bearer, parameters: [username], responses: { 200: ok('{items}'), ...refused, ...missing } }
    },
    '/api/v1/coops/{username}/memberships/leave': {
      post: { summary: 'Leave an umbrella (federates Leave)', security: bearer, parameters: [username], requestBody: body('MembershipRequest'), responses: { 202: ok('The membership, left.'), ...refused, ...missing } }
    },
    ...umbrellaWorkPaths()
  }
}

const umbrella = { name: 'umbrella', in: 'path', required: true, description: 'A local umbrella\'s username, or the URL-encoded actor id of a remote umbrella this hub keeps copies of.', schema: { type: 'string' } }
const key = { name: 'key', in: 'path', required: true, description: 'The project\'s key, a lower-case slug.', schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' } }
const decisionId = { name: 'id', in: 'path', required: true, description: 'The last segment of the decision\'s id.', schema: { type: 'string' } }
const closed = { 409: err('The decision is closed (its closesAt has passed).') }

/** Shared projects, commitments, progress posts, decisions and votes. */
function umbrellaWorkPaths (): Json {
  return {
    '/api/v1/umbrellas/{umbrella}/projects': {
      get: { summary: 'The umbrella\'s shared projects with milestones and committed totals (public; a member\'s hub answers from its copies)', parameters: [umbrella], responses: { 200: ok('{umbrella, items}'), ...missing } }
    },
    '/api/v1/umbrellas/{umbrella}/projects/{key}': {
      get: { summary: 'One project: milestones, linked pools, committed hours and money per member and in total, allocated money', parameters: [umbrella, key], responses: { 200: ok('The project.'), ...missing } },
      put: { summary: 'Create or replace a project (umbrella or admin token; federates Create or Update of its Page)', security: bearer, parameters: [{ ...username, name: 'umbrella' }, key], requestBody: body('ProjectPutRequest'), responses: { 201: ok('The project, created.'), 200: ok('The project, updated.'), ...refused, ...missing } }
    },
    '/api/v1/umbrellas/{umbrella}/projects/{key}/posts': {
      get: { summary: 'The project\'s progress posts, oldest first (public)', parameters: [umbrella, key], responses: { 200: ok('{project, items}'), ...missing } },
      post: { summary: 'Post progress (umbrella or admin token; federates Create of a Note with the project as context)', security: bearer, parameters: [{ ...username, name: 'umbrella' }, key], requestBody: body('ProgressPostRequest'), responses: { 201: ok('The post.'), ...refused, ...missing } }
    },
    '/api/v1/coops/{username}/commitments': {
      post: { summary: 'Commit hours and/or money to a project of an umbrella the co-op belongs to (federates Create of a vf:Commitment to the umbrella)', security: bearer, parameters: [username], requestBody: body('CommitmentCreateRequest'), responses: { 202: ok('The commitment as sent.'), ...refused, ...missing } }
    },
    '/api/v1/umbrellas/{umbrella}/decisions': {
      get: { summary: 'The umbrella\'s decisions, newest first, with live tallies (public; a member\'s hub answers from its copies)', parameters: [umbrella], responses: { 200: ok('{umbrella, items}'), ...missing } },
      post: { summary: 'Open a decision (umbrella or admin token; federates Create of a Question)', security: bearer, parameters: [{ ...username, name: 'umbrella' }], requestBody: body('DecisionCreateRequest'), responses: { 201: ok('The decision.'), ...refused, ...missing } }
    },
    '/api/v1/umbrellas/{umbrella}/decisions/{id}': {
      get: { summary: 'A decision: {status, tally, voters, members (null on a copy), closesAt, closedAt, action, actionResult}', parameters: [umbrella, decisionId], responses: { 200: ok('The decision.'), ...missing } }
    },
    '/api/v1/coops/{username}/votes': {
      post: { summary: 'Vote on a decision of an umbrella the co-op belongs to; a later vote replaces the earlier (federates Create of a vote Note)', security: bearer, parameters: [username], requestBody: body('VoteCreateRequest'), responses: { 202: ok('{id, decision, choice}'), ...refused, ...missing, ...closed } },
      get: { summary: 'The votes the co-op sent, newest first, with the umbrella\'s reason when it refused one', security: bearer, parameters: [username], responses: { 200: ok('{items: [{id, decision, choice, sentAt, refused}]}'), ...refused, ...missing } }
    }
  }
}
