/**
 * The OpenAPI 3.1 document of the hub's HTTP API, built from schemas/ (the single source of
 * truth): every JSON Schema becomes a component, and each API route group adds its paths here.
 */
import path from 'node:path'
import { Router } from 'express'
import type { HubContext } from '../hub-context'
import { allSchemaDocuments } from '../schemas/schema-files'
import { FACETS, SORTS } from '../store/ports/directory.port'
import { MAX_LIMIT } from '../directory/search-request'
import { corsPreflight, sendCacheable } from '../directory/http/cacheable-response'
import { coreApiPaths, poolAndAgreementPaths } from './openapi.paths'
import { umbrellaPaths } from './openapi.umbrella-paths'

type Json = Record<string, unknown>

/** Every schema below schemas/ as OpenAPI components, named by title; definitions as `Title_name`. */
export function schemaComponents (): Record<string, Json> {
  const docs = allSchemaDocuments()
  const titles = new Map<string, string>()
  for (const [rel, doc] of docs) titles.set(rel, String(doc.title ?? path.basename(rel, '.schema.json')))
  const components: Record<string, Json> = {}
  for (const [rel, doc] of docs) {
    const title = titles.get(rel) as string
    const refOf = (ref: string): string => {
      const [file, fragment = ''] = ref.split('#')
      const target = file ? titles.get(path.posix.normalize(path.posix.join(path.posix.dirname(rel), file))) ?? file : title
      const definition = /^\/definitions\/([^/]+)$/.exec(fragment)
      if (definition) return `#/components/schemas/${target}_${definition[1]}`
      return `#/components/schemas/${target}${fragment}`
    }
    const { definitions, ...main } = doc as Json & { definitions?: Record<string, Json> }
    components[title] = rewrite(main, refOf) as Json
    for (const [name, def] of Object.entries(definitions ?? {})) components[`${title}_${name}`] = rewrite(def, refOf) as Json
  }
  return components
}

/** Drops `$schema`, `$id` and `tsType`; rewrites every `$ref` to a component. */
function rewrite (node: unknown, refOf: (ref: string) => string): unknown {
  if (Array.isArray(node)) return node.map(n => rewrite(n, refOf))
  if (node === null || typeof node !== 'object') return node
  const out: Json = {}
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === '$schema' || key === '$id' || key === 'tsType') continue
    out[key] = key === '$ref' && typeof value === 'string' ? refOf(value) : rewrite(value, refOf)
  }
  return out
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` })
const errorResponse = (description: string): Json => ({ description, content: { 'application/json': { schema: ref('Error') } } })
const cached = { ETag: { schema: { type: 'string' } }, 'Cache-Control': { schema: { type: 'string' } }, 'Access-Control-Allow-Origin': { schema: { type: 'string' } } }
const notModified = { description: 'Not modified: the If-None-Match ETag is current.' }

/** The directory's paths: search, one entry, the feed and the Murmurations profiles. */
function directoryPaths (): Json {
  const facetParams = FACETS.map(name => {
    const schema: Json = { type: 'string' }
    if (name === 'access') schema.enum = ['public', 'members', 'agreement']
    if (name === 'accepting') schema.enum = ['yes', 'no']
    if (name === 'status') schema.enum = ['active', 'planned', 'paused', 'closed']
    if (name === 'kind') schema.enum = ['coop-cloud', 'imported']
    if (name === 'country') schema.pattern = '^[A-Za-z]{2}$'
    return { name, in: 'query', required: false, description: `Only entries with this ${name}; empty means any.`, schema }
  })
  return {
    '/api/v1/directory': {
      get: {
        summary: 'Search the directory',
        description: 'Full-text search (ranked) with filters, facet counts for each filter, and cursor pagination. Public, CORS-enabled, cacheable (ETag).',
        parameters: [
          { name: 'q', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'Words to search names, summaries, tags and services for.' },
          ...facetParams,
          { name: 'sort', in: 'query', schema: { type: 'string', enum: [...SORTS], default: 'relevance' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 20 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'The `next` of the previous page (same search only).' }
        ],
        responses: {
          200: { description: 'One page of results.', headers: cached, content: { 'application/json': { schema: ref('DirectorySearchResult') } } },
          304: notModified,
          400: errorResponse('A parameter is not valid (the fields say which).')
        }
      },
      options: { summary: 'CORS preflight', responses: { 204: { description: 'Reads are allowed from any origin.' } } }
    },
    '/api/v1/directory/{id}': {
      get: {
        summary: 'One directory entry',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,99}$' } }],
        responses: {
          200: { description: 'The entry.', headers: cached, content: { 'application/json': { schema: ref('DirectoryEntry') } } },
          304: notModified,
          404: errorResponse('No such entry.')
        }
      }
    },
    '/directory.json': {
      get: {
        summary: 'The whole directory as a feed for sibling directories',
        description: 'Gzip when the client accepts it; ETag and Cache-Control; CORS-enabled. Its URL is in NodeInfo metadata (directory.feed).',
        responses: { 200: { description: 'The feed.', headers: cached, content: { 'application/json': { schema: ref('DirectoryFeed') } } }, 304: notModified }
      }
    },
    '/u/{username}/murmurations.json': {
      get: {
        summary: "A local co-op's Murmurations profile",
        description: 'Valid against Murmurations organizations_schema-v1.0.0; agreements and pools are relationships.',
        parameters: [{ name: 'username', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: { description: 'The profile.', content: { 'application/json': { schema: { type: 'object', externalDocs: { url: 'https://murmurations.network' } } } } },
          404: errorResponse('No such co-op on this hub.')
        }
      }
    }
  }
}

/** The whole document for a hub. */
export function buildOpenApiDocument (hubUrl: string, version: string): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'IoOCloud Hub API', version, description: 'The JSON API of an IoOCloud hub. Error responses are always {error, message, fields?}.' },
    servers: [{ url: hubUrl }],
    paths: {
      ...directoryPaths(),
      ...coreApiPaths(),
      ...poolAndAgreementPaths(),
      ...umbrellaPaths(),
      '/api/v1/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1 document.' } } } }
    },
    components: {
      securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'A co-op token or the admin token.' } },
      schemas: {
        ...schemaComponents(),
        Error: {
          type: 'object',
          required: ['error', 'message'],
          properties: { error: { type: 'string' }, message: { type: 'string' }, fields: { type: 'object', additionalProperties: { type: 'string' } } }
        },
        FacetCount: { type: 'object', required: ['value', 'count'], properties: { value: { type: 'string' }, count: { type: 'integer', minimum: 0 } } },
        DirectorySearchResult: {
          type: 'object',
          required: ['items', 'total', 'facets', 'next', 'links'],
          properties: {
            items: { type: 'array', items: ref('DirectoryEntry') },
            total: { type: 'integer', minimum: 0 },
            facets: { type: 'object', properties: Object.fromEntries(FACETS.map(f => [f, { type: 'array', items: ref('FacetCount') }])) },
            next: { type: ['string', 'null'] },
            links: { type: 'object', properties: { next: { type: ['string', 'null'], format: 'uri' } } }
          }
        }
      }
    }
  }
}

/** GET /api/v1/openapi.json. */
export function openApiRoutes (hub: HubContext): Router {
  const router = Router()
  const body = JSON.stringify(buildOpenApiDocument(hub.config.hubUrl, hub.version))
  router.options('/openapi.json', corsPreflight)
  router.get('/openapi.json', (req, res) => {
    sendCacheable(req, res, body, { contentType: 'application/json; charset=utf-8', maxAge: 3600 })
  })
  return router
}
