/**
 * Nesting depth of JSON text, measured without recursion: a walk that recurses into a document
 * 100,000 levels deep overflows the stack (a 500) before it can apply any limit.
 */

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b
const CLOSE_BRACE = 0x7d
const CLOSE_BRACKET = 0x5d

/** What opens a level, as `openersAtMost` looks for it: made once, not per call (every inbox POST runs it). */
const OPENERS = ['{', '[']

/**
 * True when the JSON `text` nests objects and arrays more than `limit` levels deep. Text with
 * no more opening brackets than `limit` is let through after counting them; other text gets one
 * pass counting brackets outside strings, which stops at the first level too deep. Malformed
 * text is left to the JSON parser, which reports it.
 */
export function nestedDeeperThan (text: string, limit: number): boolean {
  if (openersAtMost(text, limit)) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
      continue
    }
    if (c === QUOTE) {
      inString = true
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--
    }
  }
  return false
}

/**
 * True when `text` holds at most `limit` opening brackets in all, inside strings or not: then it
 * cannot nest deeper than `limit`. `indexOf` scans far faster than the walk above, and almost
 * every activity has a few dozen brackets at most.
 */
function openersAtMost (text: string, limit: number): boolean {
  let count = 0
  for (const opener of OPENERS) {
    for (let at = text.indexOf(opener); at !== -1; at = text.indexOf(opener, at + 1)) {
      if (++count > limit) return false
    }
  }
  return true
}
