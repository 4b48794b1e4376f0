/**
 * The data model: one template rendered per provider, committed migrations that create exactly
 * that model, applied by the real `prisma migrate deploy` the start command runs, on SQLite and
 * on PostgreSQL.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDERS, createTestDatabase, migrationSql } from './support/test-database';
import { startTestPlatform } from './support/test-platform';

const ROOT = join(__dirname, '..', '..', '..');
const PRISMA = join(ROOT, 'node_modules', '.bin', 'prisma');
const CONFIG = join(ROOT, 'prisma', 'prisma.config.ts');

function prisma(args: string[], env: Record<string, string>): { status: number | null; out: string } {
  const r = spawnSync(PRISMA, [...args, '--config', CONFIG], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('data model and migrations', () => {
  it('the rendered schemas are up to date with the template', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'prisma', 'render-schemas.ts'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const template = readFileSync(join(ROOT, 'prisma', 'schema.template.prisma'), 'utf8');
    for (const p of PROVIDERS) expect(readFileSync(join(ROOT, 'prisma', p, 'schema.prisma'), 'utf8')).toContain(template.replaceAll('__PROVIDER__', p).replaceAll('__OUTPUT__', `../../apps/api/src/generated/${p}`));
  });

  it.each(PROVIDERS)('the committed %s migrations create exactly the rendered schema', (provider) => {
    // One migration so far: it must equal the script from nothing to the schema.
    const expected = execFileSync(PRISMA, ['migrate', 'diff', '--config', CONFIG, '--from-empty', '--to-schema-datamodel', join(ROOT, 'prisma', provider, 'schema.prisma'), '--script'], {
      cwd: ROOT,
      env: { ...process.env, SAFAX_DB_PROVIDER: provider, DATABASE_URL: provider === 'postgresql' ? 'postgresql://postgres@127.0.0.1:5432/postgres' : 'file:/tmp/safax-unused.db' },
      encoding: 'utf8',
    });
    expect(migrationSql(provider).join('\n').trim()).toBe(expected.trim());
  });

  it.each(PROVIDERS)('prisma migrate deploy (the start command) builds a working %s database', async (provider) => {
    const db = await createTestDatabase(provider, false);
    try {
      const deploy = prisma(['migrate', 'deploy'], { DATABASE_URL: db.url });
      expect(deploy.out).toContain('All migrations have been successfully applied');
      expect(deploy.status).toBe(0);
      const status = prisma(['migrate', 'status'], { DATABASE_URL: db.url });
      expect(status.out).toContain('Database schema is up to date');
      const t = await startTestPlatform(provider, {}, {}, db);
      try {
        await t.http().get('/readyz').expect(200);
        await t.as(t.adminKey).get('/api/v1/me').expect(200);
      } finally {
        await t.close();
      }
    } finally {
      await db.drop();
    }
  }, 60_000);
});
