import { InboxJournal } from '../../src/federation/inbox/inbox-journal'
import type { HubStore } from '../../src/store/store.port'
import type { Logger } from '../../src/log/logger'

/** The in-process gate: deliveries of one activity to one recipient run one after the other. */
describe('InboxJournal.acquire', () => {
  const journal = new InboxJournal({} as HubStore, {} as Logger)
  const key = (activityId: string): { sender: string, activityId: string, recipientId: string } =>
    ({ sender: 'https://peer.example/actor', activityId, recipientId: 'https://hub.example/u/coop' })
  const settled = async (): Promise<void> => { for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve)) }

  it('lets the next holder of a key in only when the one before releases it, in arrival order', async () => {
    const order: string[] = []
    const first = await journal.acquire(key('a'))
    const second = journal.acquire(key('a')).then(release => { order.push('second'); return release })
    const third = journal.acquire(key('a')).then(release => { order.push('third'); return release })
    await settled()
    expect(order).toEqual([])
    first()
    // Released twice: the second call changes nothing (the third still waits for the second).
    first()
    const releaseSecond = await second
    await settled()
    expect(order).toEqual(['second'])
    releaseSecond()
    ;(await third)()
    expect(order).toEqual(['second', 'third'])
    // Free again: taken at once.
    const again = await journal.acquire(key('a'))
    again()
  })

  it('does not hold one key\'s deliveries behind another key\'s', async () => {
    const held = await journal.acquire(key('b'))
    let other = false
    const release = await journal.acquire(key('c')).then(r => { other = true; return r })
    expect(other).toBe(true)
    release()
    held()
  })
})
