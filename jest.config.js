/** Jest for every workspace: TypeScript through swc (type-checking is `npm run typecheck`). */
const { availableParallelism } = require('node:os');
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
  // Most suites wait on servers, databases and a browser rather than the CPU: two workers even on
  // two cores (jest's default there is one) halve the wall time of `npm test`.
  maxWorkers: Math.max(2, availableParallelism() - 1),
};
