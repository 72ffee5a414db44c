/** Jest runs the TypeScript sources directly; federation tests spawn the built hub (dist/). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }]
  },
  testTimeout: 30000,
  // Each test file's own SqliteError class (test/setup/sqlite-error-realm.js says why).
  setupFiles: ['<rootDir>/test/setup/sqlite-error-realm.js'],
  // One PostgreSQL server per run for the PostgreSQL store's tests (HUB_TEST_DATABASE_URL, or a
  // throwaway cluster), started only when the run includes one; each test file makes its own database.
  // And one temporary folder per run (TMPDIR) for everything the tests write, removed at the end.
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  // Several suites start real hub processes on loopback; two workers fit the 2-core machine.
  maxWorkers: 2
}
