/**
 * Renders the one data model (schema.template.prisma) into a Prisma schema per provider.
 * `--check` exits 1 when a rendered schema is stale (used by tests and CI).
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export const PROVIDERS = ['sqlite', 'postgresql'] as const;
export type Provider = (typeof PROVIDERS)[number];

const HEADER = '// GENERATED from prisma/schema.template.prisma by prisma/render-schemas.ts; do not edit.\n';

export function renderSchema(template: string, provider: Provider): string {
  return HEADER + template.replaceAll('__PROVIDER__', provider).replaceAll('__OUTPUT__', `../../apps/api/src/generated/${provider}`);
}

function main(): void {
  const dir = __dirname;
  const template = readFileSync(join(dir, 'schema.template.prisma'), 'utf8');
  const check = process.argv.includes('--check');
  let stale = false;
  for (const provider of PROVIDERS) {
    const file = join(dir, provider, 'schema.prisma');
    const text = renderSchema(template, provider);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current === text) continue;
    if (check) {
      stale = true;
      process.stderr.write(`${file} is stale: run npm run db:render\n`);
    } else {
      mkdirSync(join(dir, provider), { recursive: true });
      writeFileSync(file, text);
    }
  }
  if (stale) process.exitCode = 1;
}

if (require.main === module) main();
