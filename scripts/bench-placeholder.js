#!/usr/bin/env node
// `npm run bench` will measure inbound, fan-out, directory, sync and memory figures.
console.log('No benchmarks yet: the benchmark suite arrives with the performance work.')
