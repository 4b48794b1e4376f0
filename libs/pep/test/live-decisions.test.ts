/**
 * The SDK against the real platform over HTTP (SQLite and PostgreSQL): Permit, Deny,
 * NotApplicable and Indeterminate in all three formats, decideMany in one round trip,
 * obligations and advice, the intermediary-subject category, and the AuthZEN ↔ XACML mapping
 * (the same request decides the same in every format).
 */
import { PROVIDERS } from '../../../apps/api/test/support/test-database';
import { ATTRIBUTE, CATEGORY, PDP_FORMATS, action, assignmentValue, createPdpClient, intermediarySubject, resource, subject } from '../src/index';
import type { PdpClient, PdpFormat, PepAction, PepRequest } from '../src/index';
import { startLivePlatform } from './support/live-platform';
import type { LivePlatform } from './support/live-platform';

// Starting the platform and its databases is slow on a loaded machine; timing is never asserted here.
jest.setTimeout(60_000);

const req = (name: string, more: Partial<PepRequest> = {}): PepRequest => ({
  subject: subject('alice', { type: 'user' }),
  action: action(name),
  resource: resource('patients', { type: 'dataset' }),
  ...more,
});

describe.each(PROVIDERS)('decisions from the real platform (%s)', (provider) => {
  let live: LivePlatform;
  const clients: PdpClient[] = [];
  const client = (format: PdpFormat, more: Parameters<typeof createPdpClient>[0] extends infer O ? Partial<O> : never = {}) => {
    const c = createPdpClient({ pdpUrl: live.pdpUrl, apiKey: live.controllerKey, format, timeoutMs: 5000, ...more });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    live = await startLivePlatform(provider);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await live.close();
  });

  describe.each(PDP_FORMATS)('format %s', (format) => {
    it('Permit, Deny, NotApplicable and Indeterminate, each with a transaction id found in the decision log', async () => {
      const c = client(format);
      const permit = await c.decide(req('read'));
      expect(permit).toMatchObject({ decision: 'Permit', allowed: true, enforced: 'Permit', cached: false });
      expect(permit.cause).toBeUndefined();
      expect(permit.transactionId).toMatch(/^[0-9a-f-]{36}$/);

      const deny = await c.decide(req('write'));
      expect(deny).toMatchObject({ decision: 'Deny', allowed: false, enforced: 'Deny' });
      expect(deny.cause).toBeUndefined();

      const na = await c.decide(req('nothing-matches'));
      expect(na).toMatchObject({ decision: 'NotApplicable', allowed: false, cause: { code: 'not-applicable' } });

      const ind = await c.decide(req('broken'));
      expect(ind).toMatchObject({ decision: 'Indeterminate', allowed: false, cause: { code: 'indeterminate' } });
      expect(ind.status.code).toBe('urn:oasis:names:tc:xacml:1.0:status:missing-attribute');

      // The platform logged the decision under the id the SDK reported (write-behind: poll).
      let entry: { status: number; body: { decision?: string } } = { status: 404, body: {} };
      for (let i = 0; i < 50 && entry.status !== 200; i++) {
        entry = await live.t.as(live.ownerKey).get(`/api/v1/domains/${live.domainId}/decisions/${permit.transactionId!}`);
        if (entry.status !== 200) await new Promise((r) => setTimeout(r, 20));
      }
      expect(entry.body.decision).toBe('Permit');
    });

    it('decideMany: one round trip, results in order, each item failing closed on its own', async () => {
      const c = client(format);
      const before = c.stats().attempts;
      const results = await c.decideMany([req('read'), req('write'), req('broken'), req('share'), req('export'), req('nothing')]);
      expect(c.stats().attempts - before).toBe(1);
      expect(results.map((r) => [r.decision, r.allowed, r.cause?.code])).toEqual([
        ['Permit', true, undefined],
        ['Deny', false, undefined],
        ['Indeterminate', false, 'indeterminate'],
        ['Permit', false, 'unhandled-obligation'],
        ['Permit', false, 'unhandled-obligation'],
        ['NotApplicable', false, 'not-applicable'],
      ]);
      if (format === 'authzen') expect(results[1]!.transactionId).toBe(`${results[0]!.transactionId!.split('.')[0]!}.1`);
      else expect(new Set(results.map((r) => r.transactionId)).size).toBe(1);
    });

    it('runs the obligation handler before granting, with the assignments (ids only in AuthZEN), and advice best effort', async () => {
      const order: string[] = [];
      const seen: PepAction[] = [];
      const c = client(format, {
        obligations: {
          'urn:test:obligation:audit': (o, ctx) => {
            order.push(`obligation:${ctx.decision}`);
            seen.push(o);
            (ctx.context as { log: string[] }).log.push(assignmentValue(o, 'urn:test:attr:level') ?? 'no-level');
          },
        },
        advice: {
          'urn:test:advice:notify': () => {
            order.push('advice');
            throw new Error('mail server down');
          },
        },
      });
      const context = { log: [] as string[] };
      const r = await c.decide(req('export'), { context });
      order.push('granted');
      expect(r).toMatchObject({ decision: 'Permit', allowed: true });
      expect(order).toEqual(['obligation:Permit', 'advice', 'granted']);
      expect(r.handlerProblems).toEqual([expect.objectContaining({ kind: 'advice', id: 'urn:test:advice:notify' })]);
      expect(r.obligations.map((o) => o.id)).toEqual(['urn:test:obligation:audit']);
      if (format === 'authzen') {
        expect(seen[0]!.assignments).toEqual([]);
        expect(context.log).toEqual(['no-level']);
      } else {
        expect(seen[0]!.assignments).toEqual([
          { attributeId: 'urn:test:attr:level', value: 'high', datatype: 'http://www.w3.org/2001/XMLSchema#string' },
          { attributeId: 'urn:test:attr:channel', value: 'syslog', datatype: 'http://www.w3.org/2001/XMLSchema#string' },
        ]);
        expect(context.log).toEqual(['high']);
        expect(r.advice[0]!.assignments[0]).toMatchObject({ attributeId: 'urn:test:attr:to', value: 'dpo@example.org' });
      }
    });

    it('an unknown obligation denies; a handler that throws denies; no handler runs once one is unknown', async () => {
      const ran: string[] = [];
      const unknown = await client(format, { obligations: { 'urn:test:obligation:audit': () => void ran.push('audit') } }).decide(req('share'));
      expect(unknown).toMatchObject({ decision: 'Permit', allowed: false, enforced: 'Deny', cause: { code: 'unhandled-obligation', obligationId: 'urn:test:obligation:unknown' } });
      const throwing = await client(format, { obligations: { 'urn:test:obligation:audit': async () => Promise.reject(new Error('disk full')) } }).decide(req('export'));
      expect(throwing).toMatchObject({ decision: 'Permit', allowed: false, cause: { code: 'obligation-failed', obligationId: 'urn:test:obligation:audit' } });
      expect(throwing.cause!.message).toContain('disk full');
      expect(ran).toEqual([]);
    });

    it('a Deny stays Deny; its obligations still run where a handler exists', async () => {
      const ran: string[] = [];
      const r = await client(format, { obligations: { 'urn:test:obligation:audit': (_o, ctx) => void ran.push(ctx.decision) } }).decide(req('deny-with-obligation'));
      expect(r).toMatchObject({ decision: 'Deny', allowed: false });
      expect(ran).toEqual(['Deny']);
    });

    it('the AuthZEN-shaped properties map to the same XACML attributes and datatypes in every format', async () => {
      const c = client(format);
      const consult = (clearance: number, purpose = 'care'): PepRequest => ({
        subject: subject('bob', { type: 'user', properties: { role: ['nurse', 'doctor'], clearance } }),
        action: action('consult'),
        resource: resource('r-17', { type: 'record' }),
        environment: { purpose },
      });
      expect((await c.decide(consult(3))).decision).toBe('Permit');
      expect((await c.decide(consult(2))).decision).toBe('NotApplicable');
      expect((await c.decide(consult(5, 'marketing'))).decision).toBe('NotApplicable');
    });
  });

  it('the intermediary-subject category travels in XACML JSON and XML, and AuthZEN refuses it clearly', async () => {
    const forwarded = (proxy: string) => req('forward', { categories: [intermediarySubject(proxy)] });
    for (const format of ['xacml-json', 'xacml-xml'] as const) {
      const c = client(format);
      expect((await c.decide(forwarded('proxy-eu'))).decision).toBe('Permit');
      expect((await c.decide(forwarded('proxy-us'))).decision).toBe('NotApplicable');
    }
    const authzen = client('authzen');
    const before = authzen.stats().attempts;
    const refused = await authzen.decide(forwarded('proxy-eu'));
    expect(refused).toMatchObject({ allowed: false, cause: { code: 'invalid-request' } });
    expect(refused.cause!.message).toContain(CATEGORY.intermediarySubject);
    expect(refused.cause!.message).toContain("use format 'xacml-json' or 'xacml-xml'");
    expect(authzen.stats().attempts).toBe(before);
    expect(ATTRIBUTE.subjectId).toBe('urn:oasis:names:tc:xacml:1.0:subject:subject-id');
  });

  it('a wrong key, a principal that is not a controller, or an unknown PDP deny with their cause', async () => {
    const wrongKey = await client('xacml-json', { apiKey: 'sfx_wrong_key_0123456789abcdef0123' }).decide(req('read'));
    expect(wrongKey).toMatchObject({ allowed: false, cause: { code: 'unauthorized', httpStatus: 401 } });
    const outsider = await live.t.as(live.t.adminKey).post('/api/v1/principals').send({ name: 'outsider', roles: ['domains-controller'] }).expect(201);
    const notController = await client('authzen', { apiKey: outsider.body.apiKey as string }).decide(req('read'));
    // A PDP it may not call answers like one that does not exist (no oracle for PDP-URLs).
    expect(notController).toMatchObject({ allowed: false, cause: { code: 'rejected', httpStatus: 404 } });
    const unknown = await createPdpClient({ pdpUrl: `${live.baseUrl}/pdp/does-not-exist`, apiKey: live.controllerKey }).decide(req('read'));
    expect(unknown.allowed).toBe(false);
    expect(['rejected', 'unauthorized']).toContain(unknown.cause!.code);
  });
});
