/** A configuration value the hub cannot start with; the message names the variable. */
export class ConfigError extends Error {
  constructor (readonly variable: string, detail: string) {
    super(`${variable} ${detail}`)
    this.name = 'ConfigError'
  }
}
