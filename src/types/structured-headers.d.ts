// structured-headers 2 publishes its types only through package.json "exports", which the
// project's `moduleResolution: node` does not read; this points TypeScript at them.
declare module 'structured-headers' {
  export * from 'structured-headers/dist/index'
}
