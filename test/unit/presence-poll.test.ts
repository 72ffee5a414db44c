import fs from 'fs'
import os from 'os'
import path from 'path'
import { machineId } from '../../src/processes/process-identity'
import { ProcessPresence, presenceTiming } from '../../src/processes/process-presence'
import { createLogger } from '../../src/log/logger'
import { SqliteStore } from '../../src/store/sqlite/sqlite.store'

/** A pid no process here has. */
const DEAD_PID = 2 ** 22 + 12345

/** The beat polls the queues every beat by default, and every `pollMs` (in whole beats) when told. */
describe('the process presence polling the queues', () => {
  let store: SqliteStore
  beforeEach(() => { store = new SqliteStore(':memory:') })
  afterEach(async () => { await store.close() })

  const wakesIn = async (timing: ReturnType<typeof presenceTiming>, beats: number): Promise<number> => {
    let wakes = 0
    const presence = new ProcessPresence(store, createLogger('silent'), { wakeDelivery: () => { wakes++ } }, timing)
    await presence.register()
    for (let i = 0; i < beats; i++) await presence.beat()
    return wakes
  }

  it('wakes the delivery worker on every beat unless a slower poll is set', async () => {
    expect(await wakesIn(presenceTiming(500), 6)).toBe(6)
  })

  it('wakes it on the first beat and then once every pollMs, counted in beats', async () => {
    expect(await wakesIn(presenceTiming(500, 1_500), 7)).toBe(3)
    expect(await wakesIn(presenceTiming(500, 60_000), 7)).toBe(1)
  })

  it('wakes it at once, whatever the poll, when a dead process\'s deliveries were released', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioo-presence-'))
    const file = path.join(dir, 'hub.sqlite')
    const alive = new SqliteStore(file, { processId: 'alive' })
    const dying = new SqliteStore(file, { processId: 'dying' })
    try {
      let wakes = 0
      const presence = new ProcessPresence(alive, createLogger('silent'), { wakeDelivery: () => { wakes++ } }, presenceTiming(500, 60_000), pid => pid !== DEAD_PID)
      await presence.register()
      await presence.beat()
      expect(wakes).toBe(1)
      // Another process on this machine claims a delivery, then its pid stops running.
      await dying.processes.register({ machine: machineId(), pid: DEAD_PID })
      await dying.deliveryControl.enqueue('https://hub.test/u/a', '{}', ['https://peer.test/inbox'], null)
      expect((await dying.deliveryClaim(1)).deliveries).toHaveLength(1)
      await presence.beat()
      expect(wakes).toBe(2)
      await presence.beat()
      expect(wakes).toBe(2)
    } finally {
      await alive.close()
      await dying.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
