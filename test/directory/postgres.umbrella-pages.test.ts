/** The umbrella's page and the list of umbrellas on one hub, on PostgreSQL: the same checks as on SQLite (umbrella-pages.suite.ts). */
import { umbrellaPagesTests } from './umbrella-pages.suite'

umbrellaPagesTests('postgresql')
