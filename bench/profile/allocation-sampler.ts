/**
 * Loaded into a hub with `node --require` by `profile-allocations`: samples what the process
 * allocates (V8's sampling heap profiler, counting objects already collected too, so the profile
 * is of allocation, not of what is alive at the end). SIGUSR2 starts the sampling afresh (after
 * a warm-up); on SIGTERM the profile is written to `ALLOCATION_PROFILE` before the hub stops.
 */
import fs from 'fs'
import { Session } from 'inspector'

const session = new Session()
session.connect()
const options = { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }

function start (): void {
  session.post('HeapProfiler.startSampling', options)
}

start()
process.on('SIGUSR2', () => session.post('HeapProfiler.stopSampling', () => start()))
// Before the hub's own handler: the in-process session answers at once, so the file is written
// before the hub goes on to stop.
process.prependListener('SIGTERM', () => {
  session.post('HeapProfiler.stopSampling', (err, result) => {
    if (err === null) fs.writeFileSync(process.env.ALLOCATION_PROFILE ?? 'allocations.heapprofile', JSON.stringify(result.profile))
  })
})
