/** Jest for every workspace: TypeScript through swc (type-checking is `npm run typecheck`). */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@safax/([^/]+)$': '<rootDir>/libs/$1/src/index.ts' },
  testMatch: ['<rootDir>/libs/*/test/**/*.test.ts', '<rootDir>/apps/*/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  reporters: ['default'],
  // Hooks that start a platform take well under a second on a quiet machine, but several on a
  // shared 2-core one under load: 5 s (jest's default) failed suites that were correct.
  testTimeout: 30_000,
};
