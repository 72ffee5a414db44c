/** The directory's acceptance checks on two hubs over loopback, on SQLite (the same checks run on PostgreSQL in postgres.directory-api.test.ts). */
import { directoryApiTests } from './directory-api.suite'

directoryApiTests('sqlite')
