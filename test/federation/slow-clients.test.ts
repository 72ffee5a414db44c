import net from 'net'
import { startTestHub, TestHub } from '../helpers/in-process-hub'

/**
 * Slow and greedy clients: a body dribbled byte by byte is cut off once the request timeout
 * passes, and one address cannot hold more than its share of connections while another
 * address still gets in (127.0.0.1 and 127.0.0.2 are both loopback on Linux).
 */

interface RawConnection {
  socket: net.Socket
  /** Everything the server sent. */
  received: () => string
  closed: Promise<void>
}

async function connect (port: number, localAddress = '127.0.0.1'): Promise<RawConnection> {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress })
  let data = ''
  socket.on('data', chunk => { data += chunk.toString('latin1') })
  socket.on('error', () => undefined)
  const closed = new Promise<void>(resolve => socket.once('close', () => resolve()))
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  return { socket, received: () => data, closed }
}

const healthRequest = 'GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n'

describe('slow clients', () => {
  let hub: TestHub
  let port: number

  beforeAll(async () => {
    hub = await startTestHub({ HUB_REQUEST_TIMEOUT_MS: '1000', HUB_HEADERS_TIMEOUT_MS: '1000' })
    port = Number(new URL(hub.url).port)
  })
  afterAll(async () => { await hub?.stop() })

  it('cuts off a body dribbled one byte at a time once the request timeout passes', async () => {
    const conn = await connect(port)
    conn.socket.write('POST /inbox HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/activity+json\r\nContent-Length: 1000\r\n\r\n')
    // One byte every 200 ms: the body would take 200 s; the socket must be closed long before.
    const dribble = setInterval(() => { if (!conn.socket.destroyed) conn.socket.write('{') }, 200)
    try {
      await conn.closed
    } finally {
      clearInterval(dribble)
    }
    expect(conn.received()).toMatch(/^HTTP\/1\.1 408/)
  }, 20_000)
})

describe('connections per address', () => {
  let hub: TestHub
  let port: number
  const opened: RawConnection[] = []

  beforeAll(async () => {
    hub = await startTestHub({ HUB_MAX_CONNECTIONS_PER_ADDRESS: '3' })
    port = Number(new URL(hub.url).port)
  })
  afterAll(async () => {
    for (const c of opened) c.socket.destroy()
    await hub?.stop()
  })

  async function answered (conn: RawConnection): Promise<string> {
    conn.socket.write(healthRequest)
    const deadline = Date.now() + 5_000
    while (!/\r\n\r\n/.test(conn.received()) && !conn.socket.destroyed && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
    return conn.received()
  }

  it('closes connections over the cap from one address and still serves another address', async () => {
    for (let i = 0; i < 3; i++) {
      const conn = await connect(port)
      opened.push(conn)
      expect(await answered(conn)).toMatch(/^HTTP\/1\.1 200/)
    }
    const fourth = await connect(port)
    opened.push(fourth)
    await fourth.closed
    expect(fourth.received()).toBe('')

    const other = await connect(port, '127.0.0.2')
    opened.push(other)
    expect(await answered(other)).toMatch(/^HTTP\/1\.1 200/)

    // A connection closed frees its place.
    opened[0].socket.destroy()
    await opened[0].closed
    await new Promise(resolve => setTimeout(resolve, 100))
    const again = await connect(port)
    opened.push(again)
    expect(await answered(again)).toMatch(/^HTTP\/1\.1 200/)
  }, 20_000)
})
