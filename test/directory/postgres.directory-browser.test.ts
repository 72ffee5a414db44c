/** The directory pages in headless Chromium, on PostgreSQL: the same checks as on SQLite (directory-browser.suite.ts). */
import { directoryBrowserTests } from './directory-browser.suite'

directoryBrowserTests('postgresql')
