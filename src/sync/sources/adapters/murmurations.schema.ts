/**
 * Validation of Murmurations profiles against the vendored `organizations_schema-v1.0.0`
 * (schemas/external/murmurations/), compiled once on first use.
 */
import fs from 'fs'
import path from 'path'
import Ajv, { ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { PROJECT_ROOT } from '../../../schemas/schema-files'

export const MURMURATIONS_ORGANIZATIONS_SCHEMA = 'organizations_schema-v1.0.0'

const DIR = path.join(PROJECT_ROOT, 'schemas', 'external', 'murmurations')
let compiled: ValidateFunction | null = null

function load (file: string): Record<string, unknown> {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
  // The files name the draft-07 meta-schema by an https URL Ajv does not know; the draft is the same.
  delete doc.$schema
  return doc
}

function validator (): ValidateFunction {
  if (compiled) return compiled
  // strict off: the schemas carry Murmurations' own `metadata` keyword.
  const ajv = new Ajv({ strict: false, allErrors: false })
  addFormats(ajv)
  const schema = load(path.join(DIR, 'schemas', `${MURMURATIONS_ORGANIZATIONS_SCHEMA}.json`))
  const base = String(schema.$id)
  for (const name of fs.readdirSync(path.join(DIR, 'fields')).sort()) {
    if (name.endsWith('.json')) ajv.addSchema(load(path.join(DIR, 'fields', name)), new URL(`../fields/${name}`, base).href)
  }
  compiled = ajv.compile(schema)
  return compiled
}

/** Null when the profile is valid, else the first problem in words. */
export function murmurationsProfileProblem (profile: unknown): string | null {
  const validate = validator()
  if (validate(profile)) return null
  const e = validate.errors?.[0]
  return e ? `${e.instancePath || 'the profile'} ${e.message ?? 'is invalid'}` : 'the profile is invalid'
}
