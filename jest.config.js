/** Jest for every workspace: TypeScript through swc (type-checking is `npm run typecheck`). */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@safax/([^/]+)$': '<rootDir>/libs/$1/src/index.ts' },
  testMatch: ['<rootDir>/libs/*/test/**/*.test.ts', '<rootDir>/apps/*/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  reporters: ['default'],
  // Suites start the platform (and PostgreSQL databases) in hooks: 5 s is too short on a loaded 2-core machine.
  testTimeout: 30_000,
  // Most suites wait on servers, databases and a browser rather than the CPU: a worker per core
  // (jest's default leaves one core out, i.e. one worker on two cores) halves `npm test`'s time.
  maxWorkers: '100%',
};
