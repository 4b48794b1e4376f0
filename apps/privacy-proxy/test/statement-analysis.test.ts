/** Statement analysis on the real PostgreSQL parser: classes, datasets, columns, scopes, refusals, protection checks. */
import { noCatalog } from '../src/catalog/catalog';
import type { Catalog } from '../src/catalog/catalog';
import { DEFAULT_DENIED_FUNCTIONS } from '../src/config/proxy-config';
import { ProtectionPlan } from '../src/protect/obligations';
import { analyzeProtection } from '../src/protect/statement-protection';
import { resolveStatement } from '../src/policy/resolve-uses';
import type { ResolvedUse } from '../src/policy/resolve-uses';
import { analyzeStatement } from '../src/sql/analyze-statement';
import type { StatementFacts } from '../src/sql/analyze-statement';
import { createSqlParser, loadParser } from '../src/sql/parse-sql';

const parser = createSqlParser({ maxBytes: 100_000, cacheEntries: 10 });
const options = { deniedFunctions: new Set(DEFAULT_DENIED_FUNCTIONS), protectedSettings: new Set(['search_path', 'role', 'session_authorization']) };

/** A catalog that knows two tables, as the upstream would report them. */
const catalog: Catalog = {
  ...noCatalog(),
  available: true,
  isSystemRelation: (n) => n === 'pg_class' || n === 'pg_type',
  isBuiltinFunction: (n) => ['upper', 'count', 'now', 'lower', 'generate_series', 'length'].includes(n),
  columnsOf: async (schema, name) => (schema === 'public' && name === 'patients' ? ['id', 'name', 'ssn', 'birth_date'] : schema === 'public' && name === 'visits' ? ['id', 'patient_id', 'diagnosis'] : undefined),
};

function facts(sql: string): StatementFacts {
  const p = parser.parse(sql);
  if (!p.ok) throw new Error(p.message);
  return analyzeStatement(p.statements[0]?.stmt, options);
}

async function uses(sql: string, temp: string[] = []): Promise<string[]> {
  const r = await resolveStatement(facts(sql), { defaultSchema: 'public', tempTables: new Set(temp), catalog, publicRelations: new Set(['pg_catalog.pg_class']) });
  return r.uses.map((u: ResolvedUse) => `${u.action} ${u.id}${u.columns.length > 0 ? ` [${u.columns.join(',')}]` : ''}${u.releasedToClient ? ' released' : ''}`).sort();
}

beforeAll(async () => {
  await loadParser();
});

describe('classification and datasets', () => {
  it('classifies each statement class with its datasets and actions', async () => {
    expect(facts('SELECT 1').harmless).toBe('select-constants');
    expect(facts('SELECT * FROM patients').statementClass).toBe('select');
    expect(await uses('SELECT * FROM patients')).toEqual(['read public.patients [birth_date,id,name,ssn] released']);
    expect(await uses('INSERT INTO patients (id, name) VALUES ($1, $2)')).toEqual(['insert public.patients [id,name]']);
    expect(await uses('UPDATE patients SET name = $1 WHERE id = $2')).toEqual(['update public.patients [id,name]']);
    expect(await uses('DELETE FROM visits WHERE patient_id = 3')).toEqual(['delete public.visits [patient_id]']);
    expect(facts('CREATE TABLE t (a int)').statementClass).toBe('ddl');
    expect(await uses('DROP TABLE a, s.b')).toEqual(['ddl public.a', 'ddl s.b']);
    expect(await uses('TRUNCATE patients')).toEqual(['ddl public.patients']);
    expect(await uses('ALTER TABLE patients ADD COLUMN x int')).toEqual(['ddl public.patients']);
  });

  it('asks read on every source of a write, and read on the target of RETURNING', async () => {
    expect(await uses('INSERT INTO visits (patient_id) SELECT id FROM patients')).toEqual(['insert public.visits [patient_id]', 'read public.patients [id]']);
    expect(await uses('UPDATE visits v SET diagnosis = p.name FROM patients p WHERE p.id = v.patient_id RETURNING v.id')).toEqual(['read public.patients [id,name]', 'read public.visits [id,patient_id] released', 'update public.visits [diagnosis,id,patient_id]']);
    expect(await uses('CREATE TABLE copy AS SELECT * FROM patients')).toEqual(['ddl public.copy', 'read public.patients [birth_date,id,name,ssn]']);
    expect(await uses('CREATE VIEW v AS SELECT name FROM patients')).toEqual(['ddl public.v', 'read public.patients [name]']);
  });

  it('attributes unqualified columns to the tables that have them, qualified ones through aliases', async () => {
    expect(await uses('SELECT p.ssn, diagnosis FROM public.patients p JOIN visits v ON v.patient_id = p.id')).toEqual(['read public.patients [id,ssn] released', 'read public.visits [diagnosis,patient_id] released']);
  });

  it('follows CTE scopes as PostgreSQL does: a CTE shadows a table only where it is visible', async () => {
    expect(await uses('WITH patients AS (SELECT 1 AS id) SELECT * FROM patients')).toEqual([]);
    // Non-recursive: inside its own definition the name is the table (the outer `*` is over-approximated to every column).
    expect(await uses('WITH patients AS (SELECT id FROM patients) SELECT * FROM patients')).toEqual(['read public.patients [birth_date,id,name,ssn] released']);
    // A CTE of a subquery does not hide the table outside it.
    expect(await uses('SELECT * FROM patients, (WITH patients AS (SELECT 1) SELECT * FROM patients) x')).toContain('read public.patients [birth_date,id,name,ssn] released');
  });

  it('resolves unqualified names: session temp tables, then pg_catalog, then the pinned schema', async () => {
    expect(await uses('SELECT relname FROM pg_class')).toEqual([]); // public catalog relation
    expect(await uses('SELECT typname FROM pg_type')).toEqual(['read pg_catalog.pg_type [typname] released']);
    expect(await uses('SELECT * FROM scratch', ['scratch'])).toEqual(['read pg_temp.scratch [*] released', 'read public.scratch [*] released']);
    expect(await uses('SELECT * FROM other.patients')).toEqual(['read other.patients [*] released']);
  });

  it('decides user-defined functions as resources, built-ins need nothing', async () => {
    expect(await uses('SELECT upper(name), count(*) FROM patients GROUP BY 1')).toEqual(['read public.patients [name] released']);
    expect(await uses('SELECT * FROM my_report($1)')).toEqual(['execute public.my_report']);
    expect(await uses('SELECT lib.f(1)')).toEqual(['execute lib.f']);
  });

  it('refuses what it cannot see through, whatever the PDP says', () => {
    expect(facts("SELECT query_to_xml('select * from patients', true, true, '')").refusal).toMatch(/query_to_xml/);
    expect(facts("SELECT pg_read_file('/etc/passwd')").refusal).toMatch(/pg_read_file/);
    expect(facts("CREATE TABLE t (a text DEFAULT pg_catalog.pg_read_file('x'))").refusal).toMatch(/pg_read_file/);
    expect(facts('DO $$ BEGIN PERFORM 1; END $$').refusal).toMatch(/DO/);
    expect(facts('SET search_path = evil, public').refusal).toMatch(/search_path/);
    expect(facts('SET ROLE postgres').refusal).toMatch(/role/);
    expect(facts("COPY patients TO '/tmp/x'").refusal).toMatch(/COPY/);
    expect(facts('CREATE RULE r AS ON SELECT TO patients DO INSTEAD NOTHING').refusal).toMatch(/rules/);
    expect(facts('SET statement_timeout = 1000').refusal).toBeUndefined();
    expect(facts('SET statement_timeout = 1000').harmless).toBe('set');
    expect(facts('BEGIN').harmless).toBe('transaction');
    expect(facts('SHOW search_path').harmless).toBe('show');
  });

  it('marks reads that do not reach the client (cursors, EXPLAIN, COPY, writes)', async () => {
    expect(await uses('DECLARE c CURSOR FOR SELECT * FROM patients')).toEqual(['read public.patients [birth_date,id,name,ssn]']);
    expect(await uses('EXPLAIN SELECT name FROM patients')).toEqual(['read public.patients [name]']);
    expect(await uses('COPY patients TO STDOUT')).toEqual(['read public.patients [birth_date,id,name,ssn]']);
    expect(await uses('WITH d AS (DELETE FROM visits RETURNING *) SELECT * FROM d')).toEqual(['delete public.visits', 'read public.visits [diagnosis,id,patient_id]']);
  });

  it('reports unparsable statements and oversized ones', () => {
    expect(parser.parse('SELEC 1')).toMatchObject({ ok: false, reason: 'syntax' });
    expect(createSqlParser({ maxBytes: 1024, cacheEntries: 1 }).parse(`SELECT '${'x'.repeat(2000)}'`)).toMatchObject({ ok: false, reason: 'too-large' });
  });
});

describe('protection checks on the parse tree', () => {
  const plan = new ProtectionPlan();
  plan.add({ dataset: 'public.patients', column: 'ssn', protection: { kind: 'mask', keep: 4 } });
  const check = async (sql: string) => {
    const f = facts(sql);
    const r = await resolveStatement(f, { defaultSchema: 'public', tempTables: new Set(), catalog, publicRelations: new Set() });
    return analyzeProtection(f, plan, r.names, false);
  };

  it('allows a protected column in the output, in GROUP BY and in column = column joins', async () => {
    expect((await check('SELECT ssn, count(*) FROM patients GROUP BY ssn')).violation).toBeUndefined();
    expect((await check('SELECT p.id FROM patients p JOIN patients q ON p.ssn = q.ssn')).violation).toBeUndefined();
  });

  it('denies filtering and sorting on a protected column, also renamed through a subquery', async () => {
    expect((await check("SELECT id FROM patients WHERE ssn = '123-45-6789'")).violation).toMatch(/ssn.*WHERE/);
    expect((await check("SELECT id FROM patients WHERE ssn LIKE '1%'")).violation).toMatch(/WHERE/);
    expect((await check('SELECT id FROM patients ORDER BY ssn')).violation).toMatch(/ORDER BY/);
    expect((await check("SELECT id FROM (SELECT id, ssn AS x FROM patients) s WHERE x = '1'")).violation).toMatch(/x.*WHERE/);
    expect((await check("SELECT id FROM visits WHERE patient_id IN (SELECT id FROM patients WHERE ssn = '1')")).violation).toMatch(/WHERE/);
    expect((await check("SELECT id FROM visits WHERE '1' IN (SELECT ssn FROM patients)")).violation).toMatch(/WHERE/);
  });

  it('gives output columns without origin a verdict: clean, the column protection, or suppress', async () => {
    const c = await check('SELECT upper(ssn), count(*), id + 1, ssn FROM patients GROUP BY ssn, id');
    expect(c.outputVerdict(0, 4).kind).toBe('suppress');
    expect(c.outputVerdict(1, 4).kind).toBe('clean');
    expect(c.outputVerdict(2, 4).kind).toBe('clean');
    expect(c.outputVerdict(3, 4)).toEqual({ kind: 'protect', protection: { kind: 'mask', keep: 4 } });
    expect((await check('SELECT p FROM patients p')).outputVerdict(0, 1).kind).toBe('suppress'); // a whole row
    expect((await check('SELECT ssn FROM patients UNION SELECT ssn FROM patients')).outputVerdict(0, 1).kind).toBe('suppress');
    expect((await check('SELECT *, upper(name) FROM patients')).outputVerdict(4, 5).kind).toBe('suppress'); // a star: positions unknown
  });
});
