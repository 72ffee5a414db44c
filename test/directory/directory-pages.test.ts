/** The directory's pages and feeds over HTTP on one hub, on SQLite (the same checks run on PostgreSQL in postgres.directory-pages.test.ts). */
import { directoryPagesTests } from './directory-pages.suite'

directoryPagesTests('sqlite')
