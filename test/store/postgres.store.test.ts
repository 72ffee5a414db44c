/** The whole store contract on PostgreSQL: the same suite the SQLite store passes. */
import { PostgresStore } from '../../src/store/postgres/postgres.store'
import { usePostgresTestStore } from '../helpers/postgres-test-store'
import { describeStoreContract } from './store.contract'
import { describeDeliveryLeaseContract } from './store.contract.deliveries'

// The file's hooks empty the database before each test; each test's store has its own pool, closed after it.
const pg = usePostgresTestStore()

describeStoreContract('PostgreSQL', async () => await PostgresStore.open(pg.url(), { maxConnections: 4 }))
describeDeliveryLeaseContract('PostgreSQL', async timing => [
  await PostgresStore.open(pg.url(), { ...timing, maxConnections: 2 }),
  await PostgresStore.open(pg.url(), { ...timing, maxConnections: 2 })
])
