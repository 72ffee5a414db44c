/** The umbrella's page and the list of umbrellas on one hub, on SQLite (the same checks run on PostgreSQL in postgres.umbrella-pages.test.ts). */
import { umbrellaPagesTests } from './umbrella-pages.suite'

umbrellaPagesTests('sqlite')
