import fs from 'node:fs'
import path from 'node:path'
import Ajv, { ValidateFunction } from 'ajv'

const DIR = path.join(__dirname, '..', 'fixtures', 'directories', 'murmurations')

/**
 * A validator for Murmurations `organizations_schema-v1.0.0` profiles, from the copied schema
 * and the field files it `$ref`s (registered under the URLs those references resolve to).
 */
export function murmurationsValidator (): ValidateFunction {
  // strict off: the Murmurations files carry their own keywords (metadata, enumNames).
  const ajv = new Ajv({ strict: false, allErrors: true })
  const schema = JSON.parse(fs.readFileSync(path.join(DIR, 'schemas', 'organizations_schema-v1.0.0.json'), 'utf8'))
  delete schema.$schema
  const fieldsBase = new URL('../fields/', schema.$id).href
  for (const name of fs.readdirSync(path.join(DIR, 'fields'))) {
    const field = JSON.parse(fs.readFileSync(path.join(DIR, 'fields', name), 'utf8'))
    ajv.addSchema(field, fieldsBase + name)
  }
  return ajv.compile(schema)
}
