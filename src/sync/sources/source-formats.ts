import { chatonsAdapter } from './adapters/chatons.adapter'
import { hubDirectoryAdapter } from './adapters/hub-directory.adapter'
import { iooCsvAdapter } from './adapters/ioo-csv.adapter'
import { iooJsonAdapter } from './adapters/ioo-json.adapter'
import { librehostersAdapter } from './adapters/librehosters.adapter'
import { murmurationsAdapter } from './adapters/murmurations.adapter'
import { pccAdapter } from './adapters/pcc.adapter'
import type { SourceAdapter } from './source-adapter'

/** Every source format the hub can import, by its name. */
export const SOURCE_ADAPTERS: Readonly<Record<string, SourceAdapter>> = Object.fromEntries(
  [iooCsvAdapter, iooJsonAdapter, pccAdapter, murmurationsAdapter, chatonsAdapter, librehostersAdapter, hubDirectoryAdapter].map(a => [a.format, a])
)

/** The format names, for help texts and validation messages. */
export const SOURCE_FORMATS = Object.keys(SOURCE_ADAPTERS)
