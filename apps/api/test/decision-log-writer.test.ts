/** The write-behind decision log: batches, timing, back-pressure, failures. */
import { configFromEnv, defaultConfig } from '../src/config/app-config';
import type { DecisionLogEntry, DecisionLogRepository } from '../src/repositories/ports';
import { DecisionLogWriter } from '../src/services/decisions/decision-log-writer';

const entry = (n: number): DecisionLogEntry => ({
  txId: `tx-${n}`,
  domainId: 'd',
  time: new Date(),
  callerId: null,
  format: 'xacml-json',
  decision: 'Permit',
  statusCode: 'ok',
  request: null,
  response: null,
  obligations: [],
  policies: [],
  calls: [],
  durationMs: 0.1,
});

function fakeRepo(opts: { failFirst?: boolean; delayMs?: number } = {}) {
  const batches: string[][] = [];
  let fail = opts.failFirst ?? false;
  const repo: DecisionLogRepository = {
    insertMany: async (entries) => {
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (fail) {
        fail = false;
        throw new Error('database down');
      }
      batches.push(entries.map((e) => e.txId));
    },
    query: async () => [],
    find: async () => null,
  };
  return { repo, batches };
}

describe('DecisionLogWriter', () => {
  it('enqueue returns at once; a full batch triggers writing (in batches) without waiting for the timer', async () => {
    const { repo, batches } = fakeRepo({ delayMs: 5 });
    const w = new DecisionLogWriter(repo, { batchSize: 3, flushMs: 60_000, queueMax: 100 });
    for (let i = 0; i < 7; i++) w.enqueue(entry(i));
    expect(batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(batches).toEqual([['tx-0', 'tx-1', 'tx-2'], ['tx-3', 'tx-4', 'tx-5'], ['tx-6']]);
    await w.flush();
    expect(w.written).toBe(7);
    expect(w.pending).toBe(0);
  });

  it('writes a partial batch after flushMs', async () => {
    const { repo, batches } = fakeRepo();
    const w = new DecisionLogWriter(repo, { batchSize: 100, flushMs: 20, queueMax: 100 });
    w.enqueue(entry(1));
    w.enqueue(entry(2));
    await new Promise((r) => setTimeout(r, 60));
    expect(batches).toEqual([['tx-1', 'tx-2']]);
  });

  it('drops the oldest entries beyond queueMax and counts them', async () => {
    const { repo, batches } = fakeRepo();
    const w = new DecisionLogWriter(repo, { batchSize: 1000, flushMs: 60_000, queueMax: 3 });
    for (let i = 0; i < 5; i++) w.enqueue(entry(i));
    expect(w.dropped).toBe(2);
    await w.flush();
    expect(batches).toEqual([['tx-2', 'tx-3', 'tx-4']]);
  });

  it('a failed write is reported and counted, and the writer keeps working', async () => {
    const { repo, batches } = fakeRepo({ failFirst: true });
    const errors: unknown[] = [];
    const w = new DecisionLogWriter(repo, { batchSize: 10, flushMs: 60_000, queueMax: 100, onError: (e) => errors.push(e) });
    w.enqueue(entry(1));
    await w.flush();
    expect(errors).toHaveLength(1);
    expect(w.dropped).toBe(1);
    w.enqueue(entry(2));
    await w.flush();
    expect(batches).toEqual([['tx-2']]);
  });
});

describe('the decision-log mode a deployment gets', () => {
  it('is durable on both databases unless SAFAX_LOG_MODE says otherwise', () => {
    expect(configFromEnv({}).logMode).toBe('durable');
    expect(configFromEnv({ DATABASE_URL: 'postgresql://127.0.0.1/x' }).logMode).toBe('durable');
    expect(configFromEnv({ SAFAX_LOG_MODE: 'write-behind' }).logMode).toBe('write-behind');
    expect(defaultConfig({ databaseUrl: 'postgres://127.0.0.1/x' }).logMode).toBe('durable');
    expect(() => configFromEnv({ SAFAX_LOG_MODE: 'sometimes' })).toThrow(/SAFAX_LOG_MODE/);
  });
});
