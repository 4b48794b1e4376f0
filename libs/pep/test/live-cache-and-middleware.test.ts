/**
 * Against the real platform (SQLite and PostgreSQL): the decision cache never serves a
 * decision across a policy change for longer than its TTL, never caches Indeterminate, keys on
 * the canonical request; and the express middleware answers 403/503/200 in a real express app.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { PROVIDERS } from '../../../apps/api/test/support/test-database';
import { action, assignmentValue, createPdpClient, pepDecision, requireDecision, resource, subject } from '../src/index';
import type { HttpContext, PdpClient, PepRequest } from '../src/index';
import { sdkTestPolicy } from './support/policies';
import { closedPortUrl } from './support/stub-pdp';
import { startLivePlatform } from './support/live-platform';
import type { LivePlatform } from './support/live-platform';

// Starting the platform and its databases is slow on a loaded machine; timing is never asserted here.
jest.setTimeout(60_000);

const req = (name: string, props: Record<string, string[]> = {}): PepRequest => ({
  subject: subject('alice', { type: 'user', properties: props }),
  action: action(name),
  resource: resource('patients', { type: 'dataset' }),
});

describe.each(PROVIDERS)('cache and middleware on the real platform (%s)', (provider) => {
  let live: LivePlatform;
  const clients: PdpClient<never>[] = [];
  beforeAll(async () => {
    live = await startLivePlatform(provider);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await live.close();
  });

  describe('express middleware', () => {
    let app: express.Express;
    let routeRuns = 0;
    beforeAll(async () => {
      const pdp = createPdpClient<HttpContext>({
        pdpUrl: live.pdpUrl,
        apiKey: live.controllerKey,
        format: 'authzen',
        obligations: { 'urn:test:obligation:audit': (_o, { context }) => void context.res.set('X-Audited', 'yes') },
      });
      const down = createPdpClient<HttpContext>({ pdpUrl: await closedPortUrl(), retries: 0 });
      clients.push(pdp, down);
      const toRequest = (r: Request): PepRequest => {
        if (r.get('x-user') === undefined) throw new Error('no user');
        return { subject: subject(r.get('x-user')!, { type: 'user' }), action: action(String(r.params.action)), resource: resource('patients', { type: 'dataset' }) };
      };
      app = express();
      const route = (q: Request, s: Response) => {
        routeRuns++;
        const d = pepDecision(s)!;
        s.json({ ok: true, decision: d.decision, obligations: d.obligations.map((o) => o.id) });
      };
      app.get('/do/:action', requireDecision(pdp, toRequest), route);
      app.get('/down/:action', requireDecision(down, toRequest), route);
      app.get('/hidden/:action', requireDecision(pdp, toRequest, { onDeny: (_r, _q, s) => void s.status(404).json({ error: { code: 'not-found', message: 'Not found.' } }) }), route);
      app.use((err: Error, _q: Request, s: Response, _n: NextFunction) => void s.status(500).json({ error: { code: 'internal', message: err.message } }));
    });

    it('Permit: the route runs with the decision in res.locals and the transaction id in a header', async () => {
      const r = await request(app).get('/do/read').set('x-user', 'alice').expect(200);
      expect(r.body).toEqual({ ok: true, decision: 'Permit', obligations: [] });
      expect(r.headers['x-transaction-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('an obligation handler acts on the response before the route runs', async () => {
      const r = await request(app).get('/do/export').set('x-user', 'alice').expect(200);
      expect(r.headers['x-audited']).toBe('yes');
      expect(r.body.obligations).toEqual(['urn:test:obligation:audit']);
    });

    it('Deny, NotApplicable and an unknown obligation: 403 with the transaction id (body and header), the route never runs', async () => {
      const before = routeRuns;
      for (const a of ['write', 'nothing', 'share']) {
        const r = await request(app).get(`/do/${a}`).set('x-user', 'alice').expect(403);
        expect(r.body).toEqual({ error: { code: 'access-denied', message: 'Access denied.', transactionId: r.headers['x-transaction-id'] } });
        expect(r.headers['x-transaction-id']).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect(routeRuns).toBe(before);
    });

    it('PDP unreachable: 503 with Retry-After and no detail; onDeny replaces the answer; a failing mapper goes to the error handler', async () => {
      const r = await request(app).get('/down/read').set('x-user', 'alice').expect(503);
      expect(r.body).toEqual({ error: { code: 'pdp-unavailable', message: 'The authorization service is unavailable; try again later.' } });
      expect(r.headers['retry-after']).toBe('1');
      await request(app).get('/hidden/write').set('x-user', 'alice').expect(404);
      await request(app).get('/hidden/read').set('x-user', 'alice').expect(200);
      const failed = await request(app).get('/do/read').expect(500);
      expect(failed.body.error.message).toBe('no user');
    });

    it('the factory refuses bad arguments when called', () => {
      const c = createPdpClient<HttpContext>({ pdpUrl: live.pdpUrl });
      clients.push(c);
      expect(() => requireDecision({} as never, () => req('read'))).toThrow(/PDP client/);
      expect(() => requireDecision(c, 'nope' as never)).toThrow(/function/);
      expect(() => requireDecision(c, () => req('read'), { onDeny: 5 as never })).toThrow(/onDeny/);
    });
  });

  describe('decision cache', () => {
    it('serves a cached decision no longer than its TTL after a policy change, while an uncached client sees the change at once', async () => {
      const ttlMs = 400;
      const cached = createPdpClient({ pdpUrl: live.pdpUrl, apiKey: live.controllerKey, cache: { ttlMs } });
      const fresh = createPdpClient({ pdpUrl: live.pdpUrl, apiKey: live.controllerKey });
      clients.push(cached, fresh);
      const first = await cached.decide(req('read'));
      const filledAt = performance.now();
      expect(first).toMatchObject({ decision: 'Permit', cached: false });
      const again = await cached.decide(req('read'));
      expect(again).toMatchObject({ decision: 'Permit', cached: true, transactionId: first.transactionId });

      await live.deploy(sdkTestPolicy('2.0', 'Deny'));
      expect((await fresh.decide(req('read'))).decision).toBe('Deny');

      let last = again;
      while (last.decision === 'Permit') {
        const startedAt = performance.now();
        // Bounded: the test fails rather than spins if the cache never lets go.
        expect(startedAt).toBeLessThan(filledAt + ttlMs + 5000);
        last = await cached.decide(req('read'));
        if (last.decision !== 'Permit') break;
        expect(last.cached).toBe(true);
        // A stale Permit is only ever served before the entry's TTL ran out.
        expect(startedAt).toBeLessThanOrEqual(filledAt + ttlMs);
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(last).toMatchObject({ decision: 'Deny', cached: false, allowed: false });
      await live.deploy(sdkTestPolicy('3.0', 'Permit'));
    });

    it('never caches Indeterminate; caches NotApplicable and Deny; keys on the canonical request; honours cache: false', async () => {
      const c = createPdpClient({ pdpUrl: live.pdpUrl, apiKey: live.controllerKey, format: 'xacml-xml', cache: { ttlMs: 60_000 } });
      clients.push(c);
      const a0 = c.stats().attempts;
      expect(await c.decide(req('broken'))).toMatchObject({ decision: 'Indeterminate', cached: false });
      expect(await c.decide(req('broken'))).toMatchObject({ decision: 'Indeterminate', cached: false });
      expect(c.stats().attempts - a0).toBe(2);

      await c.decide(req('write'));
      expect(await c.decide(req('write'))).toMatchObject({ decision: 'Deny', cached: true });
      await c.decide(req('nothing'));
      expect(await c.decide(req('nothing'))).toMatchObject({ decision: 'NotApplicable', cached: true, cause: { code: 'not-applicable' } });

      // Property order and bag order do not change the key; a different value does.
      await c.decide(req('read', { role: ['a', 'b'], team: ['x'] }));
      const reordered = await c.decide({ ...req('read'), subject: subject('alice', { properties: { team: ['x'], role: ['b', 'a'] }, type: 'user' }) });
      expect(reordered.cached).toBe(true);
      expect((await c.decide(req('read', { role: ['a', 'c'], team: ['x'] }))).cached).toBe(false);

      const bypass = await c.decide(req('write'), { cache: false });
      expect(bypass.cached).toBe(false);
      expect(c.stats().cacheSize).toBeGreaterThan(0);
      c.clearCache();
      expect(c.stats().cacheSize).toBe(0);
    });

    it('decideMany sends only what the cache does not have; handlers run for cached decisions too', async () => {
      let audits = 0;
      const c = createPdpClient({ pdpUrl: live.pdpUrl, apiKey: live.controllerKey, cache: { ttlMs: 60_000 }, obligations: { 'urn:test:obligation:audit': (o) => void (assignmentValue(o, 'urn:test:attr:level') === 'high' && audits++) } });
      clients.push(c);
      await c.decide(req('export'));
      const a0 = c.stats().attempts;
      const [exported, written, read] = await c.decideMany([req('export'), req('write'), req('read')]);
      expect(c.stats().attempts - a0).toBe(1);
      expect(exported).toMatchObject({ decision: 'Permit', allowed: true, cached: true });
      expect(written).toMatchObject({ decision: 'Deny', cached: false });
      expect(read).toMatchObject({ decision: 'Permit', cached: false });
      expect(audits).toBe(2);
    });
  });
});
