/**
 * A trust service that misbehaves, through HTTP: one that hangs, returns 500, returns garbage,
 * or a huge body. Each time the PDP answers within its configured evaluation timeout, with
 * Indeterminate and a processing-error status naming the service and the cause, and the
 * process stays healthy. The decision log (full detail) records each UDF call.
 */
import type { UdfCallEvent } from '@safax/udf-client';
import { parseRequestJson } from '@safax/xacml';
import { evaluationContext } from '../src/pdp/evaluation-context';
import { udfCallsOf } from '../src/pdp/udf-call-log';
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { PROVIDERS } from './support/test-database';
import { createUser, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';
import { PROCESSING_ERROR, ask, policyCallingUdf, startStub, userCheckUdf, xacmlJson } from './scenario/trust-helpers';
import type { Stub } from './scenario/trust-helpers';

const EVALUATION_TIMEOUT_MS = 1500;

const udf = (id: string, urn: string, endpoint: string, timeoutMs: number) => userCheckUdf(id, urn, endpoint, { timeoutMs, cacheTtlSeconds: 0 });
const policyCalling = (urn: string) => policyCallingUdf(urn);

interface Case {
  readonly name: string;
  /** The UDF client's own deadline (the registration's timeoutMs). */
  readonly udfTimeoutMs: number;
  readonly cause: RegExp;
}

const CASES: readonly Case[] = [
  { name: 'ok', udfTimeoutMs: 1000, cause: /^$/ },
  { name: 'hang', udfTimeoutMs: 500, cause: /trust service udf-hang: timeout: / },
  // The service's own deadline is longer than the PDP's: the evaluation timeout cuts it.
  { name: 'hang-long', udfTimeoutMs: 20_000, cause: /udf-hang-long .*no answer within the evaluation timeout/ },
  { name: 'status500', udfTimeoutMs: 1000, cause: /trust service udf-status500: http-status: .*500/ },
  { name: 'garbage', udfTimeoutMs: 1000, cause: /trust service udf-garbage: bad-response: / },
  { name: 'wrongtype', udfTimeoutMs: 1000, cause: /trust service udf-wrongtype: wrong-type: / },
  { name: 'huge', udfTimeoutMs: 1000, cause: /trust service udf-huge: too-large: / },
];

describe.each(PROVIDERS)('misbehaving trust services through the PDP (%s)', (provider) => {
  let t: TestPlatform;
  let stub: Stub;
  const domains = new Map<string, OwnedDomain>();
  const events: UdfCallEvent[] = [];

  beforeAll(async () => {
    stub = await startStub((req, res) => {
      const path = req.url ?? '';
      if (path.startsWith('/hang')) return; // never answers
      if (path === '/status500') {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end('{"result": true}');
      } else if (path === '/garbage') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('<<<this is not json');
      } else if (path === '/wrongtype') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"result": "perhaps"}');
      } else if (path === '/huge') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(`{"result": true, "padding": "${'x'.repeat(4 * 1024 * 1024)}"}`);
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"result": true}');
      }
    });
    t = await startTestPlatform(provider, {}, { onUdfCall: (e) => events.push(e) });
    const tsp = await createUser(t, 'tsp', ['trust-service-provider']);
    for (const c of CASES) {
      const urn = `urn:test:udf:${c.name}`;
      await t.as(tsp.key).post('/api/v1/services').send(udf(`udf-${c.name}`, urn, `${stub.url}/${c.name}`, c.udfTimeoutMs)).expect(201);
      const o = await ownerWithDomain(t, `owner-${c.name}`);
      await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/pdp`).send({ evaluationTimeoutMs: EVALUATION_TIMEOUT_MS, logDetail: 'full' }).expect(200);
      await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(policyCalling(urn)).expect(201);
      domains.set(c.name, o);
    }
  });
  afterAll(async () => {
    await t.close();
    await stub.close();
  });

  const domain = (name: string): OwnedDomain => {
    const d = domains.get(name);
    if (!d) throw new Error(`no domain for ${name}`);
    return d;
  };

  it('a service that answers true permits (the control case)', async () => {
    const o = domain('ok');
    expect((await ask(t, o.owner.key, o.pdpId, { subject: 'bob', action: 'read' })).decision).toBe('Permit');
  });

  it.each(CASES.filter((c) => c.name !== 'ok').map((c) => [c.name, c] as const))('a service that fails (%s): Indeterminate within the timeout, naming the service and the cause', async (_name, c) => {
    const o = domain(c.name);
    const a = await ask(t, o.owner.key, o.pdpId, { subject: 'bob', action: 'read' });
    expect(a.decision).toBe('Indeterminate');
    expect(a.statusCode).toBe(PROCESSING_ERROR);
    expect(a.statusMessage).toMatch(c.cause);
    expect(a.ms).toBeLessThan(EVALUATION_TIMEOUT_MS + 1000);
    await t.http().get('/healthz').expect(200);
    await t.http().get('/readyz').expect(200);
  });

  it('the decision log (full detail) records each UDF call: service, arguments, duration, and the error', async () => {
    const ok = domain('ok');
    const permitted = await ask(t, ok.owner.key, ok.pdpId, { subject: 'carol', action: 'read' });
    const failing = domain('status500');
    const failed = await ask(t, failing.owner.key, failing.pdpId, { subject: 'dave', action: 'read' });
    const logged = async (o: OwnedDomain, txId: string) => {
      const until = Date.now() + 3000;
      for (;;) {
        const r = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions/${txId}`);
        if (r.status === 200 || Date.now() > until) return r;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    const okEntry = await logged(ok, permitted.txId);
    expect(okEntry.status).toBe(200);
    const okCall = (okEntry.body.calls as { kind: string; target: string; ms: number; error?: string }[]).find((c) => c.kind === 'external');
    expect(okCall).toBeDefined();
    expect(okCall?.target).toContain('urn:test:udf:ok');
    expect(okCall?.target).toContain('udf-ok');
    expect(okCall?.target).toBe('udf urn:test:udf:ok udf-ok [["carol"]] → ["true"]');
    expect(typeof okCall?.ms).toBe('number');
    expect(okCall?.error).toBeUndefined();

    const badEntry = await logged(failing, failed.txId);
    const badCall = (badEntry.body.calls as { kind: string; target: string; error?: string }[]).find((c) => c.kind === 'external');
    expect(badCall?.target).toContain('udf-status500');
    expect(badCall?.target).toContain('dave');
    expect(badCall?.error).toMatch(/trust service udf-status500: http-status/);

    // Every call through the registry is also reported with its typed outcome.
    expect(events).toContainEqual(expect.objectContaining({ serviceId: 'udf-ok', functionUrn: 'urn:test:udf:ok', args: [['carol']], result: ['true'], cached: false, durationMs: expect.any(Number) }));
    expect(events).toContainEqual(expect.objectContaining({ serviceId: 'udf-status500', args: [['dave']], error: expect.objectContaining({ reason: 'http-status' }) }));
  });

  it('each UDF call, with its typed result, is filed under the evaluation that made it', async () => {
    const entry = await t.platform.deps.pdps.byPdpId(domain('ok').pdpId);
    const pdp = entry?.pdp;
    if (!pdp) throw new Error('the domain has no compiled PDP');
    const ctx = { txId: 'tx-udf-record', callerId: null };
    const other = { txId: 'tx-other', callerId: null };
    const evaluation = await evaluationContext.run(ctx, () => pdp.evaluate(parseRequestJson(xacmlJson({ subject: 'erin', action: 'read' })), { timeoutMs: 1000 }));
    expect(evaluation.response.results[0]?.decision).toBe('Permit');
    expect(udfCallsOf(ctx)).toEqual([expect.objectContaining({ kind: 'udf', serviceId: 'udf-ok', functionUrn: 'urn:test:udf:ok', args: [['erin']], result: ['true'], cached: false, ms: expect.any(Number) })]);
    expect(udfCallsOf(other)).toEqual([]);
  });
});
