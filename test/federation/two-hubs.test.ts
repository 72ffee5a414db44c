/** Two hub processes federating hosted services, both on SQLite (postgres-two-hubs.test.ts mixes the stores). */
import { twoHubsTests } from './two-hubs.suite'

twoHubsTests({ a: 'sqlite', b: 'sqlite' })
