/**
 * The PDP cache's budget is honest: what an entry is charged is close to the heap it really
 * holds (measured after full collections), so SAFAX_PDP_CACHE_MB bounds memory and not just a
 * number. Domains as the peer bench's tenants have them (a flat policy of the bench's workload
 * each, stored through the API, so each is read back from the database as its own string).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { workloadRules, xacmlFlat } from '../../../bench/peers/src/workload';
import { noopContextHandlerClient } from '../src/pdp/context-handler-client';
import { HEAP_HEADROOM, PdpRegistry } from '../src/pdp/pdp-registry';
import type { PdpCacheStats } from '../src/pdp/pdp-registry';
import { createUser, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

jest.setTimeout(60_000);

/** V8's full collection, reachable without starting node with --expose-gc. */
const collect: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Heap in use after full collections, taken from a task of its own (WeakRef targets are kept until a task ends). */
async function heldBytes(): Promise<number> {
  await new Promise((r) => setImmediate(r));
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

describe('PDP cache memory accounting', () => {
  // 100-rule policies: an entry (~100 KB) is large against the platform's own background allocations.
  const DOMAINS = 20;
  let t: TestPlatform;
  const domainIds: string[] = [];
  const registry = (cacheBytes?: number) => new PdpRegistry({ repos: t.platform.deps.repos, contextHandlerClient: noopContextHandlerClient, ...(cacheBytes ? { cacheBytes } : {}) });
  const loadAll = async (pdps: PdpRegistry) => {
    for (const id of domainIds) expect((await pdps.byDomainId(id))?.pdp).toBeTruthy();
  };

  beforeAll(async () => {
    t = await startTestPlatform('sqlite');
    const key = (await createUser(t, 'tenants', ['domain-owner'])).key;
    const project = await t.as(key).post('/api/v1/projects').send({ name: 'tenants' }).expect(201);
    const policy = xacmlFlat(workloadRules(100));
    for (let i = 0; i < DOMAINS; i++) {
      const d = await t.as(key).post(`/api/v1/projects/${project.body.id}/domains`).send({ name: `tenant-${i}` }).expect(201);
      await t.as(key).post(`/api/v1/domains/${d.body.id}/policies`).set('Content-Type', 'application/xml').send(policy).expect(201);
      domainIds.push(d.body.id as string);
    }
    // Warms what entries share (database client, code), which is not their own cost.
    await loadAll(registry());
  });
  afterAll(async () => {
    await t.close();
  });

  /**
   * Heap the entries of a registry hold: what is freed when the loaded registry goes. The
   * median of three rounds: in a jest worker shared with other suites, garbage they left is
   * collected at unpredictable times and can move one round either way (the retained-memory
   * test of libs/xacml once saw a round free 7 MB that was not its own).
   */
  async function entriesHeld(cacheBytes?: number): Promise<{ held: number; stats: PdpCacheStats }> {
    const rounds: number[] = [];
    let stats: PdpCacheStats | undefined;
    for (let round = 0; round < 3; round++) {
      let pdps: PdpRegistry | undefined = registry(cacheBytes);
      await loadAll(pdps);
      stats = pdps.stats;
      const loaded = await heldBytes();
      pdps = undefined;
      rounds.push(loaded - (await heldBytes()));
    }
    rounds.sort((a, b) => a - b);
    return { held: rounds[1]!, stats: stats! };
  }

  it('estimates at least the heap each entry holds, and within a factor of 2 of it', async () => {
    const { held, stats } = await entriesHeld();
    expect(stats.entries).toBe(DOMAINS);
    const perEntry = held / DOMAINS;
    // What an entry is charged is its estimated live bytes times the heap's headroom.
    const estimated = stats.bytes / stats.entries / HEAP_HEADROOM;
    expect(perEntry).toBeLessThanOrEqual(estimated);
    // Not overstated so far that the cache evicts for nothing.
    expect(perEntry).toBeGreaterThan(estimated / 2);
  });

  it('holds no more heap than its budget while every domain loads', async () => {
    const one = registry();
    await one.byDomainId(domainIds[0]!);
    const budget = Math.floor(one.stats.bytes * 6.5);
    const { held, stats } = await entriesHeld(budget);
    expect(stats.bytes).toBeLessThanOrEqual(budget);
    expect(stats.entries).toBe(6);
    expect(stats.evictions).toBe(DOMAINS - 6);
    expect(held).toBeLessThanOrEqual(budget / HEAP_HEADROOM);
    expect(held).toBeGreaterThan(0);
  });
});
