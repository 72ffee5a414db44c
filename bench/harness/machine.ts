import os from 'os'

/** What the figures were measured on. */
export interface MachineFacts {
  cpuModel: string
  cores: number
  memoryGiB: number
  node: string
  platform: string
}

/** Reads the machine facts printed with every bench run. */
export function machineFacts (): MachineFacts {
  const cpus = os.cpus()
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`
  }
}
