/**
 * The decision log's appenders (src/decision-log/): writers that share a database — cluster
 * workers on one SQLite file, replicas on one PostgreSQL — extend each domain's hash chain one
 * after the other, whatever the interleaving, and the chain verifies; entries of a deleted
 * domain are skipped; on SQLite a write lock held by another connection does not block the
 * event loop (the appender waits in its thread). The canonical form is the documented one.
 */
import Database from 'better-sqlite3';
import { canonicalEntry, canonicalOf, rowText } from '../src/decision-log/chain-hash';
import type { KeyedSeal } from '../src/decision-log/chain-hash';
import { openLogAppender } from '../src/decision-log/log-appender';
import type { LogAppender } from '../src/decision-log/log-appender';
import { sqlitePath } from '../src/db/database-url';
import type { DecisionLogEntry } from '../src/repositories/ports';
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { PROVIDERS } from './support/test-database';
import { startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

jest.setTimeout(60_000);

let serial = 0;
const entry = (domainId: string, writer: string): DecisionLogEntry => ({
  txId: `${writer}-${serial++}`,
  domainId,
  time: new Date(),
  callerId: null,
  format: 'xacml-json',
  decision: serial % 3 === 0 ? 'Deny' : 'Permit',
  statusCode: 'urn:oasis:names:tc:xacml:1.0:status:ok',
  request: null,
  response: null,
  obligations: serial % 5 === 0 ? ['urn:o:"quoted"'] : [],
  policies: ['p v1'],
  calls: [],
  durationMs: 0.125 + serial / 1000,
  subject: `user-${serial}`,
  action: 'read',
  resource: null,
});

describe('canonical form', () => {
  it('is JSON.stringify([seq, ...columns]) of the stored columns', () => {
    const row = { txId: 't"1', domainId: 'd', time: new Date('2026-01-02T03:04:05.678Z'), callerId: null, format: 'xacml-json', decision: 'Permit', statusCode: 'ok', request: '{"a":"\n"}', response: null, obligations: '[]', policies: '["p v1"]', calls: '[]', durationMs: 1.5, trace: null, testedBy: null, subject: 'é', action: null, resource: 'r', seq: 42 };
    const plain = JSON.stringify([42, 't"1', 'd', '2026-01-02T03:04:05.678Z', null, 'xacml-json', 'Permit', 'ok', '{"a":"\n"}', null, '[]', '["p v1"]', '[]', 1.5, null, null, 'é', null, 'r']);
    expect(canonicalEntry(row)).toBe(plain);
    expect(canonicalOf(42, rowText(row))).toBe(plain);
  });
});

describe.each(PROVIDERS)('decision log appenders sharing a database (%s)', (provider) => {
  let t: TestPlatform;
  let a: OwnedDomain;
  let b: OwnedDomain;
  const others: LogAppender[] = [];

  const verify = async (d: OwnedDomain) => (await t.as(d.owner.key).get(`/api/v1/domains/${d.domainId}/decisions/verify`).expect(200)).body;
  const appender = () => {
    const x = openLogAppender(t.platform.database, t.platform.deps.logSeal as KeyedSeal);
    others.push(x);
    return x;
  };

  beforeAll(async () => {
    t = await startTestPlatform(provider, { logCheckpointEvery: 7 });
    a = await ownerWithDomain(t, `appender-a-${provider}`);
    b = await ownerWithDomain(t, `appender-b-${provider}`);
  });
  afterAll(async () => {
    for (const x of others) await x.close();
    await t.close();
  });

  it('three writers appending to two domains at once leave contiguous chains that verify', async () => {
    const writers = [appender(), appender(), appender()];
    const rounds = 8;
    const jobs: Promise<void>[] = [];
    for (let r = 0; r < rounds; r++) {
      writers.forEach((w, i) => {
        // Mixed batches: both domains, several entries each, in one call.
        const batch = [entry(a.domainId, `w${i}`), entry(b.domainId, `w${i}`), entry(a.domainId, `w${i}`), entry(a.domainId, `w${i}`), entry(b.domainId, `w${i}`)];
        jobs.push(w.insertMany(batch));
      });
      // The platform's own writer too (durable or not, it appends through its appender).
      jobs.push(t.platform.deps.decisionLog.enqueue(entry(a.domainId, 'platform')));
    }
    await Promise.all(jobs);
    await t.platform.deps.decisionLog.flush();
    const va = await verify(a);
    const vb = await verify(b);
    expect(va).toMatchObject({ ok: true, entries: rounds * (3 * 3 + 1), head: { seq: rounds * 10 }, checkpoints: Math.floor((rounds * 10) / 7) });
    expect(vb).toMatchObject({ ok: true, entries: rounds * 3 * 2, head: { seq: rounds * 6 } });
    // A writer whose remembered head is now stale appends after the others' entries.
    await writers[0]!.insertMany([entry(a.domainId, 'late')]);
    expect(await verify(a)).toMatchObject({ ok: true, head: { seq: rounds * 10 + 1 } });
  });

  it("skips a deleted domain's entries and keeps writing the others", async () => {
    const gone = await ownerWithDomain(t, `appender-gone-${provider}`);
    const w = appender();
    await w.insertMany([entry(gone.domainId, 'g')]);
    await t.as(gone.owner.key).delete(`/api/v1/domains/${gone.domainId}`).expect(204);
    const before = (await verify(b)).head.seq as number;
    await w.insertMany([entry(gone.domainId, 'g'), entry(b.domainId, 'g')]);
    expect(await verify(b)).toMatchObject({ ok: true, head: { seq: before + 1 } });
  });

  if (provider === 'sqlite') {
    it('waits for a write lock held elsewhere without blocking the event loop', async () => {
      const other = new Database(sqlitePath(t.platform.database.url));
      try {
        other.prepare('BEGIN IMMEDIATE').run();
        const w = appender();
        let done = false;
        const write = w.insertMany([entry(a.domainId, 'locked')]).then(() => (done = true));
        // The event loop keeps turning while the appender waits for the lock.
        const started = Date.now();
        for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 10));
        expect(Date.now() - started).toBeLessThan(1000);
        expect(done).toBe(false);
        other.prepare('COMMIT').run();
        await write;
        expect(done).toBe(true);
        expect(await verify(a)).toMatchObject({ ok: true });
      } finally {
        other.close();
      }
    });
  }
});
