/**
 * Issue 14, operations: /metrics exports each trust service's circuit-breaker state and the PDP
 * cache's hits and misses. A trust service that fails opens its breaker (5 consecutive
 * failures) and the gauge says so, while a healthy one stays closed. Decision counters keep a
 * series per domain for the first SAFAX_METRICS_DOMAIN_SERIES domains only.
 */
import { configFromEnv } from '../src/config/app-config';
import { ownerWithDomain } from './support/fixtures';
import { actionRequestJson, decisionOf, permitPolicy } from './support/policies';
import type { OwnedDomain } from './support/fixtures';
import { createUser, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';
import { ask, policyCallingUdf, startStub, userCheckUdf } from './scenario/trust-helpers';
import type { Stub } from './scenario/trust-helpers';

const FLAKY = 'urn:test:metrics:flaky';
const HEALTHY = 'urn:test:metrics:healthy';

describe('metrics: UDF breaker states and PDP cache lookups (sqlite)', () => {
  let t: TestPlatform;
  let failing: Stub;
  let healthy: Stub;
  let flakyDomain: OwnedDomain;
  let healthyDomain: OwnedDomain;
  let tspKey: string;

  const scrape = async (): Promise<string> => (await t.http().get('/metrics').expect(200)).text;
  const sample = (text: string, name: string, labels: string): number | undefined => {
    const m = new RegExp(`^${name}\\{${labels.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\} (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };

  beforeAll(async () => {
    failing = await startStub((_req, res) => res.writeHead(500, { 'Content-Type': 'application/json' }).end('{}'));
    healthy = await startStub((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"result":true}'));
    t = await startTestPlatform('sqlite', { metricsEnabled: true });
    const tsp = await createUser(t, 'metrics-tsp', ['trust-service-provider']);
    tspKey = tsp.key;
    await t.as(tsp.key).post('/api/v1/services').send(userCheckUdf('flaky', FLAKY, `${failing.url}/check`)).expect(201);
    await t.as(tsp.key).post('/api/v1/services').send(userCheckUdf('healthy', HEALTHY, `${healthy.url}/check`)).expect(201);
    flakyDomain = await ownerWithDomain(t, 'flaky-owner');
    healthyDomain = await ownerWithDomain(t, 'healthy-owner');
    await t.as(flakyDomain.owner.key).post(`/api/v1/domains/${flakyDomain.domainId}/policies`).set('Content-Type', 'application/xml').send(policyCallingUdf(FLAKY)).expect(201);
    await t.as(healthyDomain.owner.key).post(`/api/v1/domains/${healthyDomain.domainId}/policies`).set('Content-Type', 'application/xml').send(policyCallingUdf(HEALTHY)).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([failing.close(), healthy.close()]);
  });

  it('reports each registered service closed, then the failing one open, the healthy one still closed', async () => {
    const before = await scrape();
    expect(before).toMatch(/# TYPE safax_udf_breaker_state gauge/);
    expect(sample(before, 'safax_udf_breaker_state', `service="flaky",function="${FLAKY}"`)).toBe(0);
    expect(sample(before, 'safax_udf_breaker_state', `service="healthy",function="${HEALTHY}"`)).toBe(0);

    // Distinct subjects: no cached answers; five failures open the breaker (then calls are refused without a request).
    for (let i = 0; i < 7; i++) expect((await ask(t, flakyDomain.owner.key, flakyDomain.pdpId, { subject: `user-${i}`, action: 'read' })).decision).toBe('Indeterminate');
    expect(failing.requests).toHaveLength(5);
    expect((await ask(t, healthyDomain.owner.key, healthyDomain.pdpId, { subject: 'alice', action: 'read' })).decision).toBe('Permit');

    const after = await scrape();
    expect(sample(after, 'safax_udf_breaker_state', `service="flaky",function="${FLAKY}"`)).toBe(2);
    expect(sample(after, 'safax_udf_breaker_state', `service="healthy",function="${HEALTHY}"`)).toBe(0);
    expect(sample(after, 'safax_udf_calls_total', `function="${FLAKY}",outcome="circuit-open"`)).toBe(2);

    // A deleted service leaves the gauge.
    await t.as(tspKey).delete('/api/v1/services/flaky').expect(204);
    const gone = await scrape();
    expect(sample(gone, 'safax_udf_breaker_state', `service="flaky",function="${FLAKY}"`)).toBeUndefined();
    expect(sample(gone, 'safax_udf_breaker_state', `service="healthy",function="${HEALTHY}"`)).toBe(0);
  });

  it('counts PDP cache hits and misses: the first decision of a domain misses, the next ones hit', async () => {
    const o = await ownerWithDomain(t, 'cache-owner');
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(policyCallingUdf(HEALTHY)).expect(201);
    const read = async () => {
      const text = await scrape();
      return { hit: sample(text, 'safax_pdp_cache_lookups_total', 'result="hit"') ?? 0, miss: sample(text, 'safax_pdp_cache_lookups_total', 'result="miss"') ?? 0 };
    };
    const start = await read();
    await ask(t, o.owner.key, o.pdpId, { subject: 'alice', action: 'read' });
    const first = await read();
    expect(first.miss - start.miss).toBe(1);
    for (let i = 0; i < 5; i++) await ask(t, o.owner.key, o.pdpId, { subject: 'alice', action: 'read' });
    const later = await read();
    expect(later.miss).toBe(first.miss);
    // Each PDP-URL decision looks up twice (self-protection facts, then the evaluation).
    expect(later.hit - first.hit).toBe(10);
    expect(await scrape()).toMatch(/# TYPE safax_pdp_cache_lookups_total counter/);
  });
});

describe('metrics: decision counters per domain are bounded (sqlite)', () => {
  let t: TestPlatform;
  const domains: OwnedDomain[] = [];

  beforeAll(async () => {
    t = await startTestPlatform('sqlite', { metricsEnabled: true, metricsDomainSeries: 2 });
    for (let i = 0; i < 3; i++) {
      const d = await ownerWithDomain(t, `series-owner-${i}`);
      await t.as(d.owner.key).post(`/api/v1/domains/${d.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', '1.0', 'read')).expect(201);
      domains.push(d);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps a series for the first domains only and counts the later ones as domain="_other"', async () => {
    // Domain i decides i + 1 times.
    for (const [i, d] of domains.entries()) {
      for (let n = 0; n <= i; n++) {
        const r = await t.as(d.owner.key).post(`/pdp/${d.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(200);
        expect(decisionOf(r.text)).toBe('Permit');
      }
    }
    const text = (await t.http().get('/metrics').expect(200)).text;
    const series = [...text.matchAll(/^safax_decisions_total\{domain="([^"]+)",decision="Permit"\} (\S+)$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(series).toEqual([
      [domains[0]!.domainId, 1],
      [domains[1]!.domainId, 2],
      ['_other', 3],
    ]);
  });

  it('refuses a limit that is not a count', () => {
    expect(() => configFromEnv({ SAFAX_METRICS_DOMAIN_SERIES: 'many' })).toThrow(/SAFAX_METRICS_DOMAIN_SERIES/);
  });
});
