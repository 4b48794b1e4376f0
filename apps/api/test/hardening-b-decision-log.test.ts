/**
 * Issue 14, items 8 and the tamper-evident log: durable logging answers a decision only once
 * its entry is committed, sharing commits between concurrent requests (group commit); every
 * domain's log is hash-chained with signed checkpoints and head, `GET …/decisions/verify`
 * finds a row edited, deleted or cut off directly in the database; retention prunes behind a
 * signed anchor and the kept chain still verifies. Metrics at /metrics, when enabled.
 */
import type { DecisionLogEntry, DecisionLogRepository } from '../src/repositories/ports';
import { DecisionLogWriter } from '../src/services/decisions/decision-log-writer';
import { pruneDecisionLogs } from '../src/services/decisions/prune-decision-logs';
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

jest.setTimeout(60_000);

const METRICS_TOKEN = 'metrics-token-0123456789';

describe('durable decision log writer (group commit)', () => {
  const entry = (n: number): DecisionLogEntry => ({ txId: `tx-${n}`, domainId: 'd', time: new Date(), callerId: null, format: 'xacml-json', decision: 'Permit', statusCode: 'ok', request: null, response: null, obligations: [], policies: [], calls: [], durationMs: 0.1 });

  it('resolves each entry only once its commit is done, and batches concurrent entries into few commits', async () => {
    const committed: string[][] = [];
    const repo: DecisionLogRepository = {
      insertMany: async (entries) => {
        await new Promise((r) => setTimeout(r, 20));
        committed.push(entries.map((e) => e.txId));
      },
      query: async () => [],
      find: async () => null,
    };
    const w = new DecisionLogWriter(repo, { batchSize: 200, flushMs: 60_000, queueMax: 1000, mode: 'durable' });
    const seen: number[] = [];
    const add = (i: number) => w.enqueue(entry(i)).then(() => seen.push(committed.flat().includes(`tx-${i}`) ? 1 : 0));
    const first = add(0);
    // The first commit (20 ms) is under way before the others arrive.
    await new Promise((r) => setTimeout(r, 5));
    const rest = Array.from({ length: 49 }, (_, i) => add(i + 1));
    await Promise.all([first, ...rest]);
    expect(seen).toEqual(Array(50).fill(1));
    expect(committed.flat()).toHaveLength(50);
    // The first entry starts a commit; the 49 that arrive while it runs share the next one.
    expect(w.commits).toBe(2);
  });

  it('refuses (503) when the log cannot be written, instead of answering an unlogged decision', async () => {
    const repo: DecisionLogRepository = { insertMany: async () => Promise.reject(new Error('disk full')), query: async () => [], find: async () => null };
    const w = new DecisionLogWriter(repo, { batchSize: 200, flushMs: 60_000, queueMax: 1000, mode: 'durable' });
    await expect(w.enqueue(entry(1))).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe.each(PROVIDERS)('tamper-evident decision log (%s)', (provider) => {
  let t: TestPlatform;
  let a: OwnedDomain;

  const decide = (d: OwnedDomain, action = 'read') => t.as(d.owner.key).post(`/pdp/${d.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson(action)).expect(200);
  const verify = async (d: OwnedDomain) => (await t.as(d.owner.key).get(`/api/v1/domains/${d.domainId}/decisions/verify`).expect(200)).body;
  const sql = (text: string, ...values: unknown[]) => t.platform.database.prisma.$executeRawUnsafe(text, ...values);
  const param = (n: number) => (provider === 'postgresql' ? `$${n}` : '?');
  const fresh = async (name: string) => {
    const d = await ownerWithDomain(t, `${name}-${provider}`);
    await t.as(d.owner.key).post(`/api/v1/domains/${d.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p')).expect(201);
    return d;
  };

  beforeAll(async () => {
    // A 60 s flush timer: in durable mode nothing waits for it.
    t = await startTestPlatform(provider, { logMode: 'durable', logCheckpointEvery: 5, logFlushMs: 60_000, metricsEnabled: true, metricsToken: METRICS_TOKEN });
    a = await fresh('chain');
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers only logged decisions: the entry is in the database when the answer arrives', async () => {
    expect(t.platform.deps.decisionLog.mode).toBe('durable');
    const r = await decide(a);
    const tx = r.headers['x-transaction-id'] as string;
    expect(await t.platform.deps.repos.decisions.find(a.domainId, tx)).toMatchObject({ txId: tx, decision: 'Permit' });
  });

  it('chains entries with signed checkpoints; verify reports ok', async () => {
    await Promise.all(Array.from({ length: 11 }, () => decide(a)));
    const v = await verify(a);
    expect(v).toMatchObject({ ok: true, entries: 12, checkpoints: 2, unchained: 0, head: { seq: 12 } });
    expect(v.head.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds an entry edited directly in the database, and names it', async () => {
    const d = await fresh('edited');
    const txs: string[] = [];
    for (let i = 0; i < 6; i++) txs.push((await decide(d)).headers['x-transaction-id'] as string);
    expect((await verify(d)).ok).toBe(true);
    await sql(`UPDATE "DecisionLog" SET "decision" = 'Deny' WHERE "domainId" = ${param(1)} AND "seq" = 4`, d.domainId);
    const v = await verify(d);
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toEqual({ seq: 4, txId: txs[3], reason: expect.stringContaining('changed after it was written') });
  });

  it('finds a deleted entry, a cut-off tail and a forged checkpoint', async () => {
    const gap = await fresh('gap');
    for (let i = 0; i < 4; i++) await decide(gap);
    await sql(`DELETE FROM "DecisionLog" WHERE "domainId" = ${param(1)} AND "seq" = 2`, gap.domainId);
    expect((await verify(gap)).firstBroken).toMatchObject({ seq: 2, reason: expect.stringContaining('missing') });

    const cut = await fresh('cut');
    for (let i = 0; i < 4; i++) await decide(cut);
    await sql(`DELETE FROM "DecisionLog" WHERE "domainId" = ${param(1)} AND "seq" = 4`, cut.domainId);
    expect((await verify(cut)).firstBroken).toMatchObject({ seq: 4, reason: expect.stringContaining('entries were removed') });

    const forged = await fresh('forged');
    for (let i = 0; i < 6; i++) await decide(forged);
    await sql(`UPDATE "DecisionLogCheckpoint" SET "hash" = ${param(1)} WHERE "domainId" = ${param(2)}`, 'f'.repeat(64), forged.domainId);
    expect((await verify(forged)).firstBroken).toMatchObject({ seq: 5, reason: expect.stringContaining('signature') });
  });

  it('prunes to the retention behind a signed anchor; the kept chain verifies, and edits after pruning still show', async () => {
    const d = await fresh('retained');
    await t.as(d.owner.key).put(`/api/v1/domains/${d.domainId}/pdp`).send({ logRetentionDays: 1 }).expect(200);
    expect((await t.as(d.owner.key).get(`/api/v1/domains/${d.domainId}/pdp`).expect(200)).body.logRetentionDays).toBe(1);
    for (let i = 0; i < 7; i++) await decide(d);
    await new Promise((r) => setTimeout(r, 30));
    const middle = Date.now();
    await new Promise((r) => setTimeout(r, 30));
    const kept: string[] = [];
    for (let i = 0; i < 3; i++) kept.push((await decide(d)).headers['x-transaction-id'] as string);
    // One day after `middle`: the first 7 entries are past the retention.
    const r = await pruneDecisionLogs(t.platform.deps, new Date(middle + 24 * 60 * 60 * 1000));
    expect(r.pruned).toBeGreaterThanOrEqual(7);
    const list = await t.as(d.owner.key).get(`/api/v1/domains/${d.domainId}/decisions`).expect(200);
    expect(list.body.items.map((e: { txId: string }) => e.txId).sort()).toEqual([...kept].sort());
    expect(await verify(d)).toMatchObject({ ok: true, entries: 3, head: { seq: 10 } });
    await decide(d);
    expect(await verify(d)).toMatchObject({ ok: true, entries: 4, head: { seq: 11 } });
    await sql(`UPDATE "DecisionLog" SET "callerId" = 'someone-else' WHERE "domainId" = ${param(1)} AND "seq" = 9`, d.domainId);
    expect((await verify(d)).firstBroken).toMatchObject({ seq: 9 });
    await t.as(d.owner.key).put(`/api/v1/domains/${d.domainId}/pdp`).send({ logRetentionDays: 0 }).expect(400);
  });

  it("keeps verify to the domain's readers", async () => {
    const other = await ownerWithDomain(t, `outsider-${provider}`);
    const r = await t.as(other.owner.key).get(`/api/v1/domains/${a.domainId}/decisions/verify`);
    expect([403, 404]).toContain(r.status);
  });

  it('serves Prometheus metrics behind the bearer token: decisions by domain and decision, latency, log queue, PDP cache', async () => {
    expect(errorCode((await t.http().get('/metrics').expect(401)).body)).toBe('unauthenticated');
    await t.http().get('/metrics').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    const m = await t.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
    expect(m.headers['content-type']).toContain('text/plain');
    const text = m.text;
    const permits = new RegExp(`safax_decisions_total\\{domain="${a.domainId}",decision="Permit"\\} (\\d+)`).exec(text);
    expect(Number(permits?.[1])).toBeGreaterThanOrEqual(12);
    expect(text).toMatch(/safax_decision_evaluation_seconds_count\{format="xacml-json"\} \d+/);
    expect(text).toMatch(/safax_decision_log_queue_depth 0/);
    expect(text).toMatch(/safax_decision_log_durable 1/);
    expect(text).toMatch(/safax_pdp_cache_compilations [1-9]/);
    expect(text).toMatch(/safax_udf_calls_total/);
    // PDP cache hits and misses; breaker states (per registered trust service: hardening-c-metrics.test.ts).
    expect(text).toMatch(/safax_pdp_cache_lookups_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/safax_pdp_cache_lookups_total\{result="miss"\} [1-9]/);
    expect(text).toMatch(/# TYPE safax_udf_breaker_state gauge/);
  });
});

describe('metrics switched off (the default)', () => {
  it('has no /metrics route', async () => {
    const t = await startTestPlatform('sqlite');
    try {
      await t.http().get('/metrics').expect(404);
    } finally {
      await t.close();
    }
  });
});
