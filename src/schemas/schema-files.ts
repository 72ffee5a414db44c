import fs from 'fs'
import path from 'path'

/** The project root: where package.json and schemas/ live, from src/ (tests) and dist/ (built) alike. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..')

/** Reads and parses a JSON file below schemas/. */
export function readSchemaFile (relative: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'schemas', relative), 'utf8'))
}

/** Every JSON Schema below schemas/, as [relative path, document]. */
export function allSchemaDocuments (): Array<[string, Record<string, unknown>]> {
  const result: Array<[string, Record<string, unknown>]> = []
  for (const dir of ['api', 'objects']) {
    for (const name of fs.readdirSync(path.join(PROJECT_ROOT, 'schemas', dir)).sort()) {
      if (name.endsWith('.schema.json')) result.push([`${dir}/${name}`, readSchemaFile(`${dir}/${name}`)])
    }
  }
  return result
}
