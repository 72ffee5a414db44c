/**
 * Service categories the hub knows by name, each with the words people search for it by. The
 * words go into the full-text index instead of the slug, so "hosting" finds web hosting and not
 * every file-hosting service. People-facing labels are in web/messages.ts.
 */
export const CATEGORY_KEYWORDS: Readonly<Record<string, string>> = {
  'file-hosting': 'files file storage sharing sync cloud drive',
  'web-hosting': 'web hosting website websites webhosting domains',
  email: 'email e-mail mail mailbox',
  chat: 'chat messaging instant messages',
  office: 'office documents spreadsheets collaborative editing',
  calendar: 'calendar calendars contacts scheduling',
  'read-later': 'read later articles bookmarks',
  feeds: 'feeds rss news reader',
  video: 'video conferencing meetings streaming',
  forms: 'forms surveys polls',
  decisions: 'decisions voting governance',
  helpdesk: 'helpdesk tickets support'
}

/** The known category slugs. */
export const KNOWN_CATEGORIES: readonly string[] = Object.keys(CATEGORY_KEYWORDS)

/** The words a category is found by: its keywords, or the words of an unknown slug. */
export function categoryWords (slug: string): string {
  return CATEGORY_KEYWORDS[slug] ?? slug.replace(/-/g, ' ')
}
