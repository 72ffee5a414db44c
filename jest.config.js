/** Jest runs the TypeScript sources directly; federation tests spawn the built hub (dist/). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }]
  },
  testTimeout: 30000,
  // Several suites start real hub processes on loopback; two workers fit the 2-core machine.
  maxWorkers: 2
}
