/** The admin's directory sources: add, list, enable, disable, remove (API and CLI). */
import { ConflictError, NotFoundError, ValidationError } from '../../errors/app-errors'
import { checkResolvedUrl, PrivateAddressPolicy } from '../../federation/http/address-guard'
import type { SchemaValidator } from '../../schemas/schema-validator'
import type { DirectoryRepository } from '../../store/ports/directory.port'
import type { SourceRecord, SourceRepository } from '../../store/ports/sync-sources.port'
import { SOURCE_ADAPTERS } from './source-formats'

/** A source as the API shows it (without cached documents). */
export type SourceView = SourceRecord

/** Manages configured sources. */
export class SourceAdminService {
  constructor (
    private readonly sources: SourceRepository,
    private readonly directory: DirectoryRepository,
    private readonly schemas: SchemaValidator,
    private readonly allowPrivateAddresses: PrivateAddressPolicy
  ) {}

  /** Every configured source, by id. */
  async list (): Promise<SourceView[]> {
    return this.sources.list()
  }

  /** One source, or 404. */
  async get (id: string): Promise<SourceView> {
    const source = await this.sources.get(id)
    if (!source) throw new NotFoundError(`There is no directory source "${id}"`)
    return source
  }

  /** Adds a source from an API body or CLI options; 400 for bad input, 409 for a taken id or name. */
  async add (body: unknown): Promise<SourceView> {
    const input = this.schemas.validate('api/source-create.schema.json', body)
    const adapter = SOURCE_ADAPTERS[input.format]
    let url: URL
    try { url = new URL(input.url) } catch { throw new ValidationError(`"${input.url}" is not an absolute URL`, { url: 'must be an absolute http(s) URL' }) }
    // Refused now rather than on every run: the same guard the fetches use.
    await checkResolvedUrl(url, this.allowPrivateAddresses)
    const name = input.name ?? (adapter.format === 'hub-directory' ? url.host : adapter.defaultName)
    const added = await this.sources.add({ id: input.id, format: input.format, url: url.href, name, enabled: input.enabled })
    if (!added) {
      const taken = await this.sources.get(input.id)
      throw new ConflictError(taken
        ? `There is already a source "${input.id}"`
        : `Another source already records its entries as "${name}"; give this one a different name`)
    }
    return added
  }

  /** Turns a source on or off; 404 when unknown. */
  async setEnabled (id: string, enabled: boolean): Promise<SourceView> {
    const updated = await this.sources.setEnabled(id, enabled)
    if (!updated) throw new NotFoundError(`There is no directory source "${id}"`)
    return updated
  }

  /** Removes a source and every directory record it brought; answers how many records went. */
  async remove (id: string): Promise<{ removedEntries: number }> {
    const source = await this.get(id)
    const removedEntries = await this.directory.removeSource(source.name)
    await this.sources.remove(id)
    return { removedEntries }
  }
}
