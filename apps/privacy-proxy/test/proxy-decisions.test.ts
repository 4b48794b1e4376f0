/**
 * The proxy end to end: the real `pg` client → the proxy → the real PostgreSQL, every
 * statement decided by the real SAFAX-TS platform (in-process, hospital sample policy).
 */
import type { Client } from 'pg';
import { errorOf, seededDatabase, startSafax, startTestProxy } from './support/proxy-harness';
import type { ProxyUnderTest, Safax } from './support/proxy-harness';

// The platform, PostgreSQL databases, psql and TLS handshakes are slow on a loaded machine; no timing is asserted.
jest.setTimeout(60_000);

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const PSEUDONYM = /^[0-9a-f]{24}$/;

let safax: Safax;
let db: Awaited<ReturnType<typeof seededDatabase>>;
let proxy: ProxyUnderTest;
const clients: Client[] = [];
const as = async (user: string) => {
  const c = await proxy.connect(user);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  [safax, db] = await Promise.all([startSafax(), seededDatabase()]);
  proxy = await startTestProxy({ database: db.name, pdpUrl: safax.pdpUrl, apiKey: safax.controllerKey });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await proxy?.close();
  await safax?.close();
  await db?.drop();
});

describe('permitted and denied statements of each class', () => {
  it('lets a doctor read every column as stored', async () => {
    const doctor = await as('doctor');
    const r = await doctor.query('SELECT id, name, ssn, birth_date, age FROM patients WHERE id = 1');
    expect(r.rows).toEqual([{ id: 1, name: 'Anna de Vries', ssn: '123-45-6789', birth_date: new Date(1961, 2, 14), age: 64 }]);
  });

  it('lets a doctor insert, update and delete, and refuses DDL to a doctor but not to a dba', async () => {
    const doctor = await as('doctor');
    await doctor.query('INSERT INTO visits (id, patient_id, visited_on, diagnosis) VALUES (100, 2, $1, $2)', ['2026-06-01', 'flu']);
    expect((await doctor.query('UPDATE visits SET diagnosis = $1 WHERE id = 100', ['influenza'])).rowCount).toBe(1);
    expect((await doctor.query('DELETE FROM visits WHERE id = 100')).rowCount).toBe(1);
    const e = await errorOf(doctor.query('CREATE TABLE notes (id int)'));
    expect(e.code).toBe('42501');
    expect(e.message).toMatch(/permission denied for dataset public\.notes \(ddl\)/);
    const dba = await as('dba');
    await dba.query('CREATE TABLE notes (id int)');
    await dba.query('DROP TABLE notes');
  });

  it('denies every class to a user without rights, naming the dataset and the SAFAX transaction id from the decision log', async () => {
    const nurse = await as('nurse');
    for (const [sql, what] of [
      ['SELECT name FROM patients', 'dataset public.patients (read)'],
      ["INSERT INTO visits VALUES (200, 1, '2026-01-01', 'x')", 'dataset public.visits (insert)'],
      ["UPDATE patients SET city = 'x'", 'dataset public.patients (update)'],
      ['DELETE FROM visits', 'dataset public.visits (delete)'],
      ['DROP TABLE visits', 'dataset public.visits (ddl)'],
    ] as const) {
      const e = await errorOf(nurse.query(sql));
      expect(e.code).toBe('42501');
      expect(e.message).toContain(`permission denied for ${what}`);
      expect(e.message).toMatch(UUID);
    }
    // The transaction id is the one the platform logged the decision under.
    const e = await errorOf(nurse.query('SELECT ssn FROM patients'));
    const tx = (UUID.exec(e.message) as RegExpExecArray)[0];
    let logged: { status: number; body: { decision?: string } } = { status: 0, body: {} };
    for (let i = 0; i < 50 && logged.status !== 200; i++) {
      logged = await safax.t.as(safax.domain.owner.key).get(`/api/v1/domains/${safax.domain.domainId}/decisions/${tx}`);
      if (logged.status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(logged.status).toBe(200);
    expect(JSON.stringify(logged.body)).toMatch(/Deny|NotApplicable/);
    // Still in business after denials, and nothing was changed.
    const doctor = await as('doctor');
    expect((await doctor.query('SELECT count(*)::int AS n FROM visits')).rows[0].n).toBe(5);
  });

  it('lets harmless statements through without a decision, and denies other undecidable ones', async () => {
    const nurse = await as('nurse');
    expect((await nurse.query('SELECT 1 + 1 AS two')).rows).toEqual([{ two: 2 }]);
    await nurse.query('SET statement_timeout = 5000');
    expect((await nurse.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('5s');
    await nurse.query('BEGIN');
    await nurse.query('COMMIT');
    expect((await errorOf(nurse.query('LISTEN channel'))).message).toMatch(/statements of kind "listen" are not allowed/);
    expect((await errorOf(nurse.query('SET search_path = public, pg_temp'))).message).toMatch(/search_path/);
    expect((await errorOf(nurse.query("SELECT pg_read_file('/etc/passwd')"))).message).toMatch(/pg_read_file is not allowed/);
    expect((await errorOf(nurse.query('DO $$ BEGIN PERFORM 1; END $$'))).message).toMatch(/DO/);
  });

  it('denies an unparsable statement without forwarding it', async () => {
    const doctor = await as('doctor');
    const e = await errorOf(doctor.query('SELEC name FROM patients'));
    expect(e.code).toBe('42601');
    expect(e.message).toMatch(/could not be parsed/);
    expect((await doctor.query('SELECT count(*)::int AS n FROM patients')).rows[0].n).toBe(5);
  });

  it('decides every statement of a multi-statement query before running any of them', async () => {
    const doctor = await as('doctor');
    const e = await errorOf(doctor.query("INSERT INTO visits VALUES (300, 1, '2026-01-01', 'x'); CREATE TABLE t2 (a int)"));
    expect(e.message).toMatch(/public\.t2 \(ddl\)/);
    expect((await doctor.query('SELECT count(*)::int AS n FROM visits WHERE id = 300')).rows[0].n).toBe(0);
  });
});

describe('parameters, prepared statements and transactions', () => {
  it('runs parameterised and named prepared statements, again and again', async () => {
    const doctor = await as('doctor');
    for (const id of [1, 2, 3]) {
      const r = await doctor.query({ name: 'by-id', text: 'SELECT id, city FROM patients WHERE id = $1', values: [id] });
      expect(r.rows).toEqual([{ id, city: ['Eindhoven', 'Utrecht', 'Eindhoven'][id - 1] }]);
    }
    const nurse = await as('nurse');
    expect((await errorOf(nurse.query({ name: 'n1', text: 'SELECT city FROM patients WHERE id = $1', values: [1] }))).code).toBe('42501');
    // The session is usable after a denied Parse.
    expect((await nurse.query({ text: 'SELECT $1::int AS v', values: [7] })).rows).toEqual([{ v: 7 }]);
  });

  it('rolls back a transaction in which a statement was denied', async () => {
    const doctor = await as('doctor');
    await doctor.query('BEGIN');
    await doctor.query("INSERT INTO visits VALUES (400, 1, '2026-02-02', 'sprain')");
    const denied = await errorOf(doctor.query('TRUNCATE visits'));
    expect(denied.code).toBe('42501');
    const aborted = await errorOf(doctor.query('SELECT 1'));
    expect(aborted.code).toBe('25P02');
    const end = await doctor.query('COMMIT');
    expect(end.command).toBe('ROLLBACK');
    expect((await doctor.query('SELECT count(*)::int AS n FROM visits WHERE id = 400')).rows[0].n).toBe(0);
  });

  it('keeps a transaction usable after a denial rolled back to a savepoint', async () => {
    const doctor = await as('doctor');
    await doctor.query('BEGIN');
    await doctor.query("INSERT INTO visits VALUES (401, 1, '2026-02-02', 'sprain')");
    await doctor.query('SAVEPOINT s');
    await errorOf(doctor.query('DROP TABLE visits'));
    await doctor.query('ROLLBACK TO SAVEPOINT s');
    await doctor.query('COMMIT');
    expect((await doctor.query('DELETE FROM visits WHERE id = 401')).rowCount).toBe(1);
  });
});

describe('protection obligations on the rows', () => {
  it('pseudonymises name and ssn and generalises birth dates for researchers, on SELECT *', async () => {
    const researcher = await as('researcher');
    const r = await researcher.query('SELECT * FROM patients ORDER BY id');
    expect(r.rows).toHaveLength(5);
    for (const row of r.rows) {
      expect(row.name).toMatch(PSEUDONYM);
      expect(row.ssn).toMatch(PSEUDONYM);
      expect((row.birth_date as Date).getDate()).toBe(1);
    }
    expect(r.rows[0]).toMatchObject({ id: 1, age: 64, city: 'Eindhoven', birth_date: new Date(1961, 2, 1) });
  });

  it('keeps pseudonyms stable across statements, protocols, aliases and GROUP BY', async () => {
    const researcher = await as('researcher');
    const simple = (await researcher.query('SELECT ssn FROM patients WHERE id = 2')).rows[0].ssn;
    const aliased = (await researcher.query({ text: 'SELECT ssn AS s, name AS who FROM patients WHERE id = $1', values: [2] })).rows[0];
    expect(aliased.s).toBe(simple);
    expect(aliased.who).toMatch(PSEUDONYM);
    const grouped = await researcher.query('SELECT city, count(*)::int AS n, min(id) AS first FROM patients GROUP BY city ORDER BY city');
    expect(grouped.rows).toEqual([
      { city: 'Amsterdam', n: 1, first: 4 },
      { city: 'Eindhoven', n: 2, first: 1 },
      { city: 'Utrecht', n: 2, first: 2 },
    ]);
    const bySsn = await researcher.query('SELECT ssn, count(*)::int AS n FROM patients GROUP BY ssn');
    expect(bySsn.rows.map((x) => x.ssn)).toContain(simple);
  });

  it('protects through a join, and suppresses an expression over a protected column', async () => {
    const researcher = await as('researcher');
    const r = await researcher.query("SELECT p.name, v.diagnosis, upper(p.ssn) AS shout, p.id + 0 AS pid FROM patients p JOIN visits v ON v.patient_id = p.id WHERE v.diagnosis = 'asthma' ORDER BY v.id");
    expect(r.rows).toHaveLength(2);
    for (const row of r.rows) {
      expect(row.name).toMatch(PSEUDONYM);
      expect(row.shout).toBeNull();
      expect(row.diagnosis).toBe('asthma');
    }
    expect(r.rows.map((x) => x.pid)).toEqual([2, 5]);
  });

  it('protects the rows of a statement PREPAREd in SQL when it is EXECUTEd', async () => {
    const researcher = await as('researcher');
    await researcher.query('PREPARE by_id (int) AS SELECT name, city FROM patients WHERE id = $1');
    const r = await researcher.query('EXECUTE by_id(4)');
    expect(r.rows).toEqual([{ name: expect.stringMatching(PSEUDONYM), city: 'Amsterdam' }]);
    expect((await errorOf((await as('nurse')).query('EXECUTE by_id(4)'))).code).toBe('26000');
  });

  it('denies filtering on a protected column (it would reveal its values)', async () => {
    const researcher = await as('researcher');
    const e = await errorOf(researcher.query("SELECT id FROM patients WHERE ssn = '123-45-6789'"));
    expect(e.code).toBe('42501');
    expect(e.message).toMatch(/column ssn is protected/);
  });

  it('applies the protections through prepared statements in binary and text format', async () => {
    const researcher = await as('researcher');
    const text = await researcher.query({ name: 'p-text', text: 'SELECT name, birth_date, age FROM patients WHERE id = $1', values: [3] });
    expect(text.rows[0].name).toMatch(PSEUDONYM);
    expect(text.rows[0].birth_date).toEqual(new Date(1988, 10, 1));
    const binary: { rows: unknown[] } = await researcher.query({ text: 'SELECT name, age FROM patients WHERE id = $1', values: [3], binary: true } as never);
    expect(binary.rows[0]).toEqual({ name: text.rows[0].name, age: 37 });
  });

  it('masks, suppresses and generalises to years and decades for the partner proxy', async () => {
    const partner = await as('partner-proxy');
    const r = await partner.query('SELECT name, ssn, birth_date, age, city FROM patients WHERE id IN (1, 5) ORDER BY id');
    expect(r.rows).toEqual([
      { name: null, ssn: '*******6789', birth_date: new Date(1961, 0, 1), age: 60, city: 'Eindhoven' },
      { name: null, ssn: '*******0123', birth_date: new Date(2001, 0, 1), age: 20, city: 'Utrecht' },
    ]);
    // The partner has no right to visits.
    expect((await errorOf(partner.query('SELECT * FROM visits'))).code).toBe('42501');
  });

  it('denies a read whose protection cannot be applied (COPY, a cursor: rows that do not pass as DataRows)', async () => {
    const researcher = await as('researcher');
    for (const sql of ['COPY patients TO STDOUT', 'DECLARE c CURSOR WITH HOLD FOR SELECT name FROM patients', 'EXPLAIN ANALYZE SELECT * FROM patients']) {
      const e = await errorOf(researcher.query(sql));
      expect(e.code).toBe('42501');
      expect(e.detail).toMatch(/only do on rows it returns to the client/);
    }
  });

  it('denies a statement when the decision carries an obligation the proxy does not know', async () => {
    const auditor = await as('auditor');
    const e = await errorOf(auditor.query('SELECT name FROM patients'));
    expect(e.code).toBe('42501');
    expect(e.detail).toMatch(/obligation the proxy does not know \(urn:example:obligation:watermark\)/);
  });

  it('logs one structured line per statement with the SAFAX transaction id, never the statement text', () => {
    const lines = proxy.log.lines.filter((l) => l.msg === 'statement');
    expect(lines.length).toBeGreaterThan(10);
    const denied = lines.find((l) => l.fields.user === 'nurse' && l.fields.outcome === 'deny');
    expect(denied?.fields).toMatchObject({ class: 'select', datasets: ['public.patients:read'], safaxTransactionIds: [expect.stringMatching(UUID)] });
    expect(JSON.stringify(proxy.log.lines)).not.toContain('123-45-6789');
    expect(JSON.stringify(proxy.log.lines)).not.toContain('test-protection-key');
  });
});
