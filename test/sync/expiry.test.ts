import path from 'path'
import Database from 'better-sqlite3'
import { api, eventually, getActivityJson } from '../helpers/hub-process'
import { startTestHub, TestHub } from '../helpers/in-process-hub'

/**
 * The daily `expiry` job on real hub processes over loopback. A's co-op stewards a pool with a
 * deadline a few seconds away (and one without), and has two agreements with B's co-op: one that
 * ends a few seconds away, one open-ended. Once the deadline and the end have passed, A's expiry
 * run closes the pool (B, a follower, sees the Update) and stores the agreement `expired` (B
 * stores it too, from A's expiry notice); its history counts what changed, and a second run
 * changes nothing. The stored state, the API and the directory's pages agree.
 */
describe('the expiry job', () => {
  let a: TestHub
  let b: TestHub
  const co: Record<string, { id: string, token: string }> = {}
  const enc = encodeURIComponent

  beforeAll(async () => {
    [a, b] = await Promise.all([startTestHub(), startTestHub()])
    for (const [hub, username] of [[a, 'alpha'], [b, 'beta']] as const) {
      const made = await api(hub, 'POST', '/api/v1/coops', hub.adminToken, { username, name: `${username} co-op` })
      expect(made.status).toBe(201)
      co[username] = { id: made.json.id, token: made.json.token }
    }
    expect((await api(b, 'POST', '/api/v1/coops/beta/follows', co.beta.token, { target: `alpha@127.0.0.1:${a.port}` })).status).toBe(202)
    await eventually(async () => (await api(b, 'GET', '/api/v1/coops/beta/follows', co.beta.token)).json.items[0]?.state === 'accepted' ? true : undefined, 'beta\'s follow to be accepted')
  })

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()])
  })

  /** The agreement's stored status, read from a hub's database (not derived from the clock). */
  const storedStatus = (hub: TestHub, id: string): string | undefined => {
    const db = new Database(path.join(hub.dataDir, 'hub.sqlite'), { readonly: true, fileMustExist: true })
    try {
      return db.prepare<[string], { status: string }>('SELECT status FROM agreements WHERE id = ?').get(id)?.status
    } finally {
      db.close()
    }
  }
  const runExpiry = async (hub: TestHub): Promise<any> => {
    const res = await api(hub, 'POST', '/api/v1/jobs/expiry/runs', hub.adminToken)
    expect(res.status).toBe(201)
    return res.json
  }

  it('closes pools past their deadline and expires agreements past their end, once', async () => {
    const files = await api(a, 'PUT', '/api/v1/coops/alpha/services/files', co.alpha.token, { name: 'Alpha Files', category: 'file-hosting', url: 'https://files.alpha.example', access: 'agreement' })
    expect(files.status).toBe(201)
    const soon = Date.now() + 6000
    const pool = async (name: string, deadline?: string): Promise<string> => {
      const res = await api(a, 'POST', '/api/v1/coops/alpha/pools', co.alpha.token, {
        name, beneficiary: { name: 'Nextcloud', url: 'https://nextcloud.com' }, goal: { value: '500.00', currency: 'EUR' }, period: 'once', ...(deadline ? { deadline } : {})
      })
      expect(res.status).toBe(201)
      return res.json.id
    }
    const ending = await pool('Calendar sync', new Date(soon).toISOString())
    const lasting = await pool('Maintenance')
    const offer = async (name: string, endTime?: string): Promise<string> => {
      const res = await api(a, 'POST', '/api/v1/coops/alpha/agreements', co.alpha.token, {
        name, parties: [`beta@127.0.0.1:${b.port}`], terms: 'Members may use each other\'s files.', services: [{ service: files.json.id }],
        startTime: new Date().toISOString(), ...(endTime ? { endTime } : {})
      })
      expect(res.status).toBe(201)
      return res.json.id
    }
    const short = await offer('Short exchange', new Date(soon).toISOString())
    const open = await offer('Open exchange')
    const agreementOn = async (hub: TestHub, id: string): Promise<any> => (await api(hub, 'GET', `/api/v1/agreements/${enc(id)}`)).json
    for (const id of [short, open]) {
      await eventually(async () => (await agreementOn(b, id))?.status === 'proposed' ? true : undefined, 'B to hold the proposal')
      expect((await api(b, 'POST', `/api/v1/agreements/${enc(id)}/accept`, co.beta.token)).status).toBe(200)
      await eventually(async () => (await agreementOn(a, id))?.status === 'active' ? true : undefined, 'A to see the agreement active')
    }
    await eventually(async () => (await api(b, 'GET', `/api/v1/pools/${enc(ending)}`)).json?.status === 'open' ? true : undefined, 'B to list the pool')
    // The directory's pages: open pools (/pools) and agreements in force (/network).
    const page = async (pathname: string): Promise<string> => await (await fetch(`${a.url}${pathname}`, { headers: { accept: 'text/html' } })).text()
    expect(await page('/pools')).toContain('Calendar sync')
    expect(await page('/network')).toContain('Short exchange')

    await eventually(async () => Date.now() > soon + 500 ? true : undefined, 'the deadline to pass', 15_000)
    // Before the job runs the clock already reads the agreement as expired; the store does not say so yet.
    expect((await agreementOn(a, short)).status).toBe('expired')
    expect(storedStatus(a, short)).toBe('active')

    const run = await runExpiry(a)
    expect(run).toMatchObject({ job: 'expiry', outcome: 'succeeded', counts: { added: 0, changed: 2, unchanged: 2, gone: 0, rejected: 0 } })
    expect(run.details).toEqual([{ label: 'pools', expired: 1, checked: 2 }, { label: 'agreements', expired: 1, checked: 2 }, { label: 'decisions', expired: 0, checked: 0 }])

    // A: the pool is closed, the other one still open; the agreement is stored expired, and the API and directory agree.
    expect((await api(a, 'GET', `/api/v1/pools/${enc(ending)}`)).json.status).toBe('closed')
    expect((await api(a, 'GET', `/api/v1/pools/${enc(lasting)}`)).json.status).toBe('open')
    expect(storedStatus(a, short)).toBe('expired')
    expect(storedStatus(a, open)).toBe('active')
    expect((await agreementOn(a, short)).status).toBe('expired')
    expect((await agreementOn(a, open)).status).toBe('active')
    expect(await page('/pools')).not.toContain('Calendar sync')
    expect(await page('/pools')).toContain('Maintenance')
    expect(await page('/network')).not.toContain('Short exchange')
    expect(await page('/network')).toContain('Open exchange')
    // The version A wrote now reads expired where it lives, and in alpha's agreements collection.
    expect((await getActivityJson(short)).agreementStatus).toBe('expired')
    const listed = await getActivityJson(`${co.alpha.id}/agreements`)
    expect(Object.fromEntries(listed.orderedItems.map((x: any) => [x.id, x.agreementStatus]))).toEqual({ [short]: 'expired', [open]: 'active' })

    // B follows alpha: it sees the pool closed (Update) and stores the agreement expired (A's notice).
    await eventually(async () => (await api(b, 'GET', `/api/v1/pools/${enc(ending)}`)).json?.status === 'closed' ? true : undefined, 'B to see the pool closed')
    await eventually(async () => storedStatus(b, short) === 'expired' ? true : undefined, 'B to store the agreement expired')
    expect(storedStatus(b, open)).toBe('active')
    // So B's own expiry run finds nothing left to do; A's second run changes nothing either.
    expect((await runExpiry(b)).counts).toEqual({ added: 0, changed: 0, unchanged: 1, gone: 0, rejected: 0 })
    const again = await runExpiry(a)
    expect(again.counts).toEqual({ added: 0, changed: 0, unchanged: 2, gone: 0, rejected: 0 })
    expect(again.details).toEqual([{ label: 'pools', expired: 0, checked: 1 }, { label: 'agreements', expired: 0, checked: 1 }, { label: 'decisions', expired: 0, checked: 0 }])

    // An expired agreement takes no amendment; a closed pool takes no pledge.
    const amend = await api(b, 'PATCH', `/api/v1/agreements/${enc(short)}`, co.beta.token, { terms: 'Too late.' })
    expect(amend.status).toBe(409)
    expect(amend.json.message).toContain('expired')
    const history = (await api(a, 'GET', '/api/v1/jobs/expiry/runs?limit=5', a.adminToken)).json.items
    expect(history.map((r: any) => r.counts.changed)).toEqual([0, 2])
  })
})
