/** The directory's acceptance checks on two hubs over loopback, on PostgreSQL: the same checks as on SQLite (directory-api.suite.ts). */
import { directoryApiTests } from './directory-api.suite'

directoryApiTests('postgresql')
