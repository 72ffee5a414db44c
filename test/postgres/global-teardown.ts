/** jest global tear-down: stops and deletes the throwaway PostgreSQL cluster, if the set-up started one. */
import type { RunningCluster } from './throwaway-cluster'

/** Stops the cluster. */
export default async function globalTeardown (): Promise<void> {
  const holder = globalThis as { hubTestCluster?: RunningCluster }
  holder.hubTestCluster?.stop()
  holder.hubTestCluster = undefined
}
