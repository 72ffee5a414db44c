/**
 * A PostgreSQL hub federating with a SQLite hub, each way round: the PostgreSQL hub publishing
 * to a SQLite follower, and receiving a SQLite hub's services. The same test as two-hubs.test.ts.
 */
import { twoHubsTests } from './two-hubs.suite'

twoHubsTests({ a: 'postgresql', b: 'sqlite' })
twoHubsTests({ a: 'sqlite', b: 'postgresql' })
