/** The hub's log lines: JSON or readable, secrets redacted in both (src/log/logger.ts). */
import { Writable } from 'stream'
import { createLogger, resolveLogFormat } from '../../src/log/logger'

/** A stream that keeps what is written to it. */
function collector (): { stream: Writable, text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({ write (chunk, _encoding, done) { chunks.push(String(chunk)); done() } })
  return { stream, text: () => chunks.join('') }
}

/** Lets the pretty printer's pipe pass what was logged on to the stream. */
const settled = async (): Promise<void> => await new Promise(resolve => setImmediate(resolve))

describe('log format', () => {
  it('auto is readable on a terminal and JSON anywhere else; an explicit format stays', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty')
    expect(resolveLogFormat('auto', false)).toBe('json')
    expect(resolveLogFormat('json', true)).toBe('json')
    expect(resolveLogFormat('pretty', false)).toBe('pretty')
  })

  it('pretty writes the level and message on one line, the fields below, and redacts tokens', async () => {
    const out = collector()
    const logger = createLogger('info', 'pretty', out.stream)
    logger.info({ url: 'https://hub.example', token: 'ioo_secret_value' }, 'IoOCloud Hub is serving')
    logger.debug('below the level')
    logger.error({ err: new Error('the store is locked') }, 'cannot start')
    await settled()
    const lines = out.text().split('\n')
    expect(lines[0]).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\] INFO: IoOCloud Hub is serving$/)
    expect(out.text()).toContain('url: "https://hub.example"')
    expect(out.text()).toContain('token: "[redacted]"')
    expect(out.text()).not.toContain('ioo_secret_value')
    expect(out.text()).not.toContain('below the level')
    expect(out.text()).toMatch(/\] ERROR: cannot start\n/)
    expect(out.text()).toContain('the store is locked')
    // Readable lines only: no JSON line, no process id or host name.
    expect(lines.some(line => line.startsWith('{'))).toBe(false)
    expect(out.text()).not.toMatch(/hostname|pid/)
  })

  it('json writes one JSON object per line with the same redaction', async () => {
    const out = collector()
    const logger = createLogger('info', 'json', out.stream)
    logger.info({ headers: { authorization: 'Bearer ioo_secret_value' } }, 'request')
    await settled()
    const entry = JSON.parse(out.text().trim())
    expect(entry).toMatchObject({ level: 30, msg: 'request', headers: { authorization: '[redacted]' } })
    expect(out.text()).not.toContain('ioo_secret_value')
  })
})
