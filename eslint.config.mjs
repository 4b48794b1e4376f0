// Lint for the whole monorepo. The engine stays pure: no HTTP, database or web framework inside libs/xacml.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', 'coverage/**', 'test-output/**', 'apps/web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['libs/xacml/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['express', 'node:http', 'node:https', 'http', 'https', 'node:net', 'pg', 'better-sqlite3'],
        patterns: ['@prisma/*', 'express/*', '@safax/*'],
      }],
    },
  },
  { files: ['**/*.js', '**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly', console: 'readonly' } } },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module', globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } } },
);
