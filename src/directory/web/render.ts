import path from 'node:path'
import { Eta } from 'eta'
import { PROJECT_ROOT } from '../../schemas/schema-files'

/** Where the page templates are, from src/ (tests) and dist/ (built) alike. */
export const TEMPLATES_DIR = path.join(PROJECT_ROOT, 'src', 'directory', 'web', 'templates')

/** Where the stylesheet is. */
export const STATIC_DIR = path.join(PROJECT_ROOT, 'src', 'directory', 'web', 'static')

/**
 * The page renderer: Eta templates with escaping on (`<%= %>` escapes; `<%~ %>` is kept for
 * the layout's body and for SVG built by the hub itself), compiled once and cached.
 */
export class PageRenderer {
  private readonly eta: Eta

  constructor (options: { cache?: boolean } = {}) {
    this.eta = new Eta({ views: TEMPLATES_DIR, cache: options.cache ?? true, autoEscape: true, autoTrim: [false, 'nl'] })
  }

  /** Renders `templates/<name>.eta` with `data` as `it`. */
  render (name: string, data: Record<string, unknown>): string {
    return this.eta.render(`./${name}`, data)
  }
}
