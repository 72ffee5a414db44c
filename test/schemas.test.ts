import { spawnSync } from 'child_process'
import path from 'path'
import { ValidationError } from '../src/errors/app-errors'
import { SchemaValidator } from '../src/schemas/schema-validator'

const validator = new SchemaValidator()

describe('JSON Schemas', () => {
  it('generated TypeScript types match the schemas', () => {
    const script = path.join(__dirname, '..', 'scripts', 'generate-schema-types.js')
    const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
  })

  it('accepts a valid service and answers it typed', () => {
    const body = validator.validate('api/service-put.schema.json', {
      name: 'Files', category: 'file-hosting', url: 'https://cloud.example.coop', access: 'members', software: 'Nextcloud'
    })
    expect(body.access).toBe('members')
  })

  it('reports every bad field of a request in words', () => {
    let error: unknown
    try {
      validator.validate('api/service-put.schema.json', { name: '', category: 'Files!', url: 'ftp://x', access: 'everyone', colour: 'red' })
    } catch (err) { error = err }
    expect(error).toBeInstanceOf(ValidationError)
    const fields = (error as ValidationError).fields ?? {}
    expect(Object.keys(fields).sort()).toEqual(['access', 'category', 'colour', 'name', 'url'])
    expect(fields.access).toBe('must be one of: public, members, agreement')
    expect(fields.url).toBe('must be an http or https URL')
    expect(fields.colour).toBe('is not a known field')
  })

  it('requires both Page and ioo:HostedService in a federated service type', () => {
    const service = {
      id: 'https://a.example/o/1', attributedTo: 'https://a.example/u/a', name: 'n', summary: 's',
      url: 'https://x.example', serviceType: 'chat', access: 'public'
    }
    expect(validator.validate('objects/hosted-service.schema.json', { ...service, type: ['Page', 'ioo:HostedService'] }).name).toBe('n')
    expect(() => validator.validate('objects/hosted-service.schema.json', { ...service, type: ['ioo:HostedService'] })).toThrow(ValidationError)
    expect(() => validator.validate('objects/hosted-service.schema.json', { ...service, type: ['Page'] })).toThrow(ValidationError)
  })
})
