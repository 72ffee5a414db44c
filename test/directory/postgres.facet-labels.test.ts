/** Facet values labelled with each project's own spelling, on PostgreSQL: the same checks as on SQLite (facet-labels.suite.ts). */
import { facetLabelTests } from './facet-labels.suite'

facetLabelTests('postgresql')
