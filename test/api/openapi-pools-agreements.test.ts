import { buildOpenApiDocument } from '../../src/api/openapi'

/** Every `$ref` in a document, with where it was found. */
function refs (node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach(n => refs(n, out))
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === '$ref' && typeof v === 'string') out.push(v)
      else refs(v, out)
    }
  }
  return out
}

describe('OpenAPI document: co-ops, services, follows, admin, pools, pledges, agreements', () => {
  const doc = buildOpenApiDocument('https://hub.example', '1.0.0') as any

  it('covers every endpoint of these features', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/coops', '/api/v1/coops/{username}', '/api/v1/coops/{username}/services/{key}', '/api/v1/services',
      '/api/v1/coops/{username}/follows', '/api/v1/coops/{username}/follow-requests', '/api/v1/admin/deliveries',
      '/api/v1/coops/{username}/pools', '/api/v1/pools', '/api/v1/pools/{id}', '/api/v1/coops/{username}/pledges',
      '/api/v1/pledges/{id}', '/api/v1/pledges/{id}/withdraw', '/api/v1/pledges/{id}/fulfil', '/api/v1/coops/{username}/agreements',
      '/api/v1/agreements', '/api/v1/agreements/{id}', '/api/v1/agreements/{id}/accept', '/api/v1/agreements/{id}/reject',
      '/api/v1/agreements/{id}/terminate', '/api/v1/coops/{username}/trusted-servers'
    ]))
    expect(Object.keys(doc.paths['/api/v1/pools/{id}']).sort()).toEqual(['delete', 'get', 'patch'])
  })

  it('takes request bodies from the schemas, and every reference resolves', () => {
    expect(doc.paths['/api/v1/coops/{username}/pledges'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/PledgeCreateRequest' })
    expect(doc.components.schemas.PledgeCreateRequest.properties.amount).toEqual({ $ref: '#/components/schemas/PoolCreateRequest_goal' })
    for (const r of refs(doc)) {
      const name = r.replace('#/components/schemas/', '')
      expect(doc.components.schemas[name.split('/')[0]]).toBeDefined()
    }
    expect(doc.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' })
  })
})
