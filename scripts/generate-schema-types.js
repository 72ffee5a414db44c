#!/usr/bin/env node
// Generates TypeScript types from the JSON Schemas in schemas/ (the single source of truth) into
// src/schemas/generated/. `--check` fails when the committed files are out of date.
'use strict'
const fs = require('fs')
const path = require('path')
const { compileFromFile } = require('json-schema-to-typescript')

const root = path.resolve(__dirname, '..')
const outDir = path.join(root, 'src', 'schemas', 'generated')
const BANNER = '/* Generated from schemas/ by scripts/generate-schema-types.js. Do not edit: edit the schema and run npm run generate:types. */'

/** Lists every *.schema.json below schemas/, sorted for stable output. */
function schemaFiles () {
  const files = []
  for (const dir of ['api', 'objects']) {
    for (const name of fs.readdirSync(path.join(root, 'schemas', dir)).sort()) {
      if (name.endsWith('.schema.json')) files.push(path.join(root, 'schemas', dir, name))
    }
  }
  return files
}

async function main () {
  const check = process.argv.includes('--check')
  const stale = []
  for (const file of schemaFiles()) {
    const ts = await compileFromFile(file, {
      bannerComment: BANNER,
      cwd: path.dirname(file),
      declareExternallyReferenced: true,
      additionalProperties: false,
      style: { singleQuote: true, semi: false }
    })
    const outFile = path.join(outDir, path.basename(file).replace('.schema.json', '.ts'))
    if (check) {
      if (!fs.existsSync(outFile) || fs.readFileSync(outFile, 'utf8') !== ts) stale.push(path.relative(root, outFile))
    } else {
      fs.mkdirSync(outDir, { recursive: true })
      fs.writeFileSync(outFile, ts)
    }
  }
  if (stale.length) {
    console.error(`Generated types are out of date: ${stale.join(', ')}. Run npm run generate:types.`)
    process.exit(1)
  }
}

main().catch(err => { console.error(err); process.exit(1) })
