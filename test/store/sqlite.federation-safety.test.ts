import { SqliteStore } from '../../src/store/sqlite/sqlite.store'
import { describeFederationSafetyContract } from './federation-safety.contract'

describeFederationSafetyContract('SQLite (in memory)', () => new SqliteStore(':memory:'))
