/** The directory pages in headless Chromium, on SQLite (the same checks run on PostgreSQL in postgres.directory-browser.test.ts). */
import { directoryBrowserTests } from './directory-browser.suite'

directoryBrowserTests('sqlite')
