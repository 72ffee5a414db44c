import { postgresRepositories } from '../helpers/postgres-repositories'
import { usePostgresTestStore } from '../helpers/postgres-test-store'
import { describeFederationSafetyContract } from './federation-safety.contract'

const pg = usePostgresTestStore()

describeFederationSafetyContract('PostgreSQL', () => postgresRepositories(pg.db(), 'host:1:a'))
