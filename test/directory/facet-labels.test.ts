/** Facet values labelled with each project's own spelling, on SQLite (the same checks run on PostgreSQL in postgres.facet-labels.test.ts). */
import { facetLabelTests } from './facet-labels.suite'

facetLabelTests('sqlite')
