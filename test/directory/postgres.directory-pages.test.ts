/** The directory's pages and feeds over HTTP on one hub, on PostgreSQL: the same checks as on SQLite (directory-pages.suite.ts). */
import { directoryPagesTests } from './directory-pages.suite'

directoryPagesTests('postgresql')
