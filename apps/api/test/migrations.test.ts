/**
 * The data model: one template rendered per provider, committed migrations that create exactly
 * that model, applied by the real `prisma migrate deploy` the start command runs, on SQLite and
 * on PostgreSQL.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { PROVIDERS, createTestDatabase } from './support/test-database';
import type { TestDatabase } from './support/test-database';
import { startTestPlatform } from './support/test-platform';

const ROOT = join(__dirname, '..', '..', '..');
const PRISMA = join(ROOT, 'node_modules', '.bin', 'prisma');
const CONFIG = join(ROOT, 'prisma', 'prisma.config.ts');

function prisma(args: string[], env: Record<string, string>): { status: number | null; out: string } {
  const r = spawnSync(PRISMA, [...args, '--config', CONFIG], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function applySql(db: TestDatabase, sql: string): Promise<void> {
  if (db.provider === 'sqlite') {
    const d = new Database(fileURLToPath(db.url.replace(/^file:/, 'file://')));
    d.exec(sql);
    d.close();
    return;
  }
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * Tables, columns (sorted by name: columns added later sit at the end physically), indexes and
 * foreign keys, one line each, from the database's own catalogue.
 */
async function describeSchema(db: TestDatabase): Promise<string[]> {
  if (db.provider === 'sqlite') {
    const d = new Database(fileURLToPath(db.url.replace(/^file:/, 'file://')), { readonly: true });
    try {
      const out: string[] = [];
      const tables = d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations' ORDER BY name").all() as { name: string }[];
      for (const { name } of tables) {
        for (const c of d.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; type: string; notnull: number; dflt_value: unknown; pk: number }[]) out.push(`${name}.${c.name} ${c.type} notnull=${c.notnull} default=${String(c.dflt_value)} pk=${c.pk}`);
        for (const f of d.prepare(`PRAGMA foreign_key_list("${name}")`).all() as { table: string; from: string; to: string; on_delete: string }[]) out.push(`${name} fk ${f.from} -> ${f.table}.${f.to} on delete ${f.on_delete}`);
      }
      for (const i of d.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string; sql: string }[]) out.push(`index ${i.sql.replace(/\s+/g, ' ')}`);
      return out.sort();
    } finally {
      d.close();
    }
  }
  const c = new Client({ connectionString: db.url });
  await c.connect();
  try {
    const columns = await c.query<{ line: string }>(
      "SELECT table_name || '.' || column_name || ' ' || data_type || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '') AS line FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'",
    );
    const indexes = await c.query<{ line: string }>("SELECT 'index ' || indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'");
    const constraints = await c.query<{ line: string }>(
      "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'",
    );
    return [...columns.rows, ...indexes.rows, ...constraints.rows].map((r) => r.line).sort();
  } finally {
    await c.end();
  }
}

describe('data model and migrations', () => {
  it('the rendered schemas are up to date with the template', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'prisma', 'render-schemas.ts'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const template = readFileSync(join(ROOT, 'prisma', 'schema.template.prisma'), 'utf8');
    for (const p of PROVIDERS) expect(readFileSync(join(ROOT, 'prisma', p, 'schema.prisma'), 'utf8')).toContain(template.replaceAll('__PROVIDER__', p).replaceAll('__OUTPUT__', `../../apps/api/src/generated/${p}`));
  });

  it.each(PROVIDERS)('the committed %s migrations, applied in order, create exactly the rendered schema', async (provider) => {
    // The migrations are compared with the script from nothing to the schema by what they
    // build: both applied to fresh databases, both described from the catalogue.
    const env = { SAFAX_DB_PROVIDER: provider, DATABASE_URL: provider === 'postgresql' ? 'postgresql://postgres@127.0.0.1:5432/postgres' : 'file:/tmp/safax-unused.db' };
    const expected = execFileSync(PRISMA, ['migrate', 'diff', '--config', CONFIG, '--from-empty', '--to-schema-datamodel', join(ROOT, 'prisma', provider, 'schema.prisma'), '--script'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    const migrated = await createTestDatabase(provider);
    const fromScript = await createTestDatabase(provider, false);
    try {
      await applySql(fromScript, expected);
      const built = await describeSchema(migrated);
      expect(built.some((l) => l.startsWith('AuditEntry.'))).toBe(true);
      expect(built).toEqual(await describeSchema(fromScript));
    } finally {
      await migrated.drop();
      await fromScript.drop();
    }
  }, 60_000);

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
