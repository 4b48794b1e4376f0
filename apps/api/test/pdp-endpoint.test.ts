/** The PDP-URL: XACML XML, XACML JSON, AuthZEN 1.0, home document, transaction ids, and the decision log. */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, decisionOf, permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

const xmlRequest = (action: string) =>
  `<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" ReturnPolicyIdList="true" CombinedDecision="false"><Attributes Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action"><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${action}</AttributeValue></Attribute></Attributes></Request>`;

describe.each(PROVIDERS)('PDP endpoint and decision log (%s)', (provider) => {
  let t: TestPlatform;
  let o: OwnedDomain;
  const pdp = () => `/pdp/${o.pdpId}`;

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    o = await ownerWithDomain(t, 'owner');
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', '1.0', 'read')).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers XACML XML in XML, with a transaction id and the policy list when asked', async () => {
    const r = await t.as(o.owner.key).post(pdp()).set('Content-Type', 'application/xacml+xml').set('X-Request-ID', 'req-1').send(xmlRequest('read')).expect(200);
    expect(r.headers['content-type']).toMatch(/application\/xacml\+xml/);
    expect(r.headers['x-transaction-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers['x-request-id']).toBe('req-1');
    expect(r.text).toMatch(/<Decision>Permit<\/Decision>/);
    expect(r.text).toMatch(/PolicyIdReference[^>]*>p</);
  });

  it('answers the XACML JSON Profile in JSON, without the policy list unless asked', async () => {
    const r = await t.as(o.owner.key).post(pdp()).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(200);
    expect(r.headers['content-type']).toMatch(/application\/xacml\+json/);
    expect(decisionOf(r.text)).toBe('Permit');
    expect(r.text).not.toContain('PolicyIdentifierList');
  });

  it('refuses malformed XML/JSON, empty bodies and other media types with 4xx', async () => {
    const x = await t.as(o.owner.key).post(pdp()).set('Content-Type', 'application/xacml+xml').send('<Request><oops').expect(400);
    expect(errorCode(x.body)).toBe('invalid-xacml-request');
    const j = await t.as(o.owner.key).post(pdp()).set('Content-Type', 'application/xacml+json').send('{"Request": 5}').expect(400);
    expect(errorCode(j.body)).toBe('invalid-xacml-request');
    const n = await t.as(o.owner.key).post(pdp()).set('Content-Type', 'application/xacml+json').send('{').expect(400);
    expect(errorCode(n.body)).toBe('invalid-xacml-request');
    const e = await t.as(o.owner.key).post(pdp()).set('Content-Type', 'application/xacml+xml').send('').expect(400);
    expect(errorCode(e.body)).toBe('malformed-body');
    const m = await t.as(o.owner.key).post(pdp()).set('Content-Type', 'text/plain').send('hi').expect(415);
    expect(errorCode(m.body)).toBe('unsupported-media-type');
    expect(m.headers['x-transaction-id']).toBeDefined();
  });

  it('serves the XACML REST home document and the AuthZEN metadata', async () => {
    const r = await t.as(o.owner.key).get(pdp()).expect(200);
    expect(r.headers['content-type']).toMatch(/application\/json-home/);
    const body = JSON.parse(r.text);
    expect(body.resources['http://docs.oasis-open.org/ns/xacml/relation/pdp'].href).toBe(`http://safax.test/pdp/${o.pdpId}`);
    const meta = await t.as(o.owner.key).get(`${pdp()}/.well-known/authzen-configuration`).expect(200);
    expect(meta.body.access_evaluation_endpoint).toBe(`http://safax.test/pdp/${o.pdpId}/access/v1/evaluation`);
  });

  it('evaluates AuthZEN 1.0 single and batch requests with their semantics', async () => {
    const one = await t.as(o.owner.key).post(`${pdp()}/access/v1/evaluation`).send({ subject: { type: 'user', id: 'u' }, action: { name: 'read' }, resource: { type: 'doc', id: 'd', properties: { tags: ['a', 'b'], size: 3 } }, context: { ip: '10.0.0.1' } }).expect(200);
    expect(one.body).toEqual({ decision: true, context: { xacml_decision: 'Permit', status: 'urn:oasis:names:tc:xacml:1.0:status:ok' } });
    const batch = {
      subject: { type: 'user', id: 'u' },
      resource: { type: 'doc', id: 'd' },
      evaluations: [{ action: { name: 'write' } }, { action: { name: 'read' } }, { action: { name: 'delete' } }],
    };
    const all = await t.as(o.owner.key).post(`${pdp()}/access/v1/evaluations`).send(batch).expect(200);
    expect(all.body.evaluations.map((e: { decision: boolean }) => e.decision)).toEqual([false, true, false]);
    const firstDeny = await t.as(o.owner.key).post(`${pdp()}/access/v1/evaluations`).send({ ...batch, options: { evaluations_semantic: 'deny_on_first_deny' } }).expect(200);
    expect(firstDeny.body.evaluations).toHaveLength(1);
    const firstPermit = await t.as(o.owner.key).post(`${pdp()}/access/v1/evaluations`).send({ ...batch, options: { evaluations_semantic: 'permit_on_first_permit' } }).expect(200);
    expect(firstPermit.body.evaluations.map((e: { decision: boolean }) => e.decision)).toEqual([false, true]);
    const single = await t.as(o.owner.key).post(`${pdp()}/access/v1/evaluations`).send({ subject: { type: 'user', id: 'u' }, action: { name: 'read' }, resource: { type: 'doc', id: 'd' } }).expect(200);
    expect(single.body.decision).toBe(true);
  });

  it('refuses malformed AuthZEN requests with 400', async () => {
    const missing = await t.as(o.owner.key).post(`${pdp()}/access/v1/evaluation`).send({ subject: { type: 'user', id: 'u' }, action: { name: 'read' } }).expect(400);
    expect(errorCode(missing.body)).toBe('bad-request');
    // Object-valued properties are AuthZEN 1.0 (they map to dotted attribute ids); a non-object `properties` is not.
    await t.as(o.owner.key).post(`${pdp()}/access/v1/evaluation`).send({ subject: { type: 'user', id: 'u', properties: { nested: { a: 1 } } }, action: { name: 'r' }, resource: { type: 'd', id: '1' } }).expect(200);
    await t.as(o.owner.key).post(`${pdp()}/access/v1/evaluation`).send({ subject: { type: 'user', id: 'u', properties: ['a'] }, action: { name: 'r' }, resource: { type: 'd', id: '1' } }).expect(400);
    await t.as(o.owner.key).post(`${pdp()}/access/v1/evaluations`).send({ evaluations: [{ action: { name: 'read' } }] }).expect(400);
    await t.as(o.owner.key).post(`${pdp()}/access/v1/evaluation`).set('Content-Type', 'application/json').send('{bad').expect(400);
  });

  it('logs every evaluation; filters by decision; pages with a cursor', async () => {
    for (let i = 0; i < 5; i++) await t.as(o.owner.key).post(pdp()).set('Content-Type', 'application/xacml+json').send(actionRequestJson(i % 2 === 0 ? 'read' : 'write')).expect(200);
    const all = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions?limit=500`).expect(200);
    expect(all.body.items.length).toBeGreaterThanOrEqual(12);
    const permits = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions?decision=Permit&limit=500`).expect(200);
    expect(permits.body.items.every((i: { decision: string }) => i.decision === 'Permit')).toBe(true);
    expect(permits.body.items[0]).toMatchObject({ callerId: o.owner.id, status: 'urn:oasis:names:tc:xacml:1.0:status:ok', policies: ['p v1.0'] });
    expect(permits.body.items[0].request).toBeUndefined();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { txId: string }[]; nextCursor: string | null } } = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions`).query({ limit: 3, ...(cursor ? { cursor } : {}) }).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((i) => i.txId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((i: { txId: string }) => i.txId));
    expect(new Set(seen).size).toBe(seen.length);

    const one = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions/${seen[0]}`).expect(200);
    expect(one.body.txId).toBe(seen[0]);
    await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions?cursor=garbage`).expect(400);
    await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions?limit=0`).expect(400);
    await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions?from=yesterday`).expect(400);
  });

  it('the log finds a transaction by the id the PEP got; full detail keeps bodies; none keeps nothing', async () => {
    await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/pdp`).send({ logDetail: 'full' }).expect(200);
    const r = await t.as(o.owner.key).post(pdp()).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(200);
    const tx = r.headers['x-transaction-id'] as string;
    const entry = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions/${tx}`).expect(200);
    expect(entry.body).toMatchObject({ txId: tx, decision: 'Permit', format: 'xacml-json' });
    expect(entry.body.request).toContain('read');
    expect(entry.body.response).toContain('Permit');
    await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/pdp`).send({ logDetail: 'none' }).expect(200);
    const r2 = await t.as(o.owner.key).post(pdp()).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read')).expect(200);
    await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions/${r2.headers['x-transaction-id'] as string}`).expect(404);
  });

  it('PDP configuration: validated, compiled against the active set, and returned with the PDP-URL', async () => {
    const c = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/pdp`).expect(200);
    expect(c.body).toMatchObject({ pdpUrl: `http://safax.test/pdp/${o.pdpId}`, rootCombiningAlgorithm: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-overrides' });
    const badAlg = await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/pdp`).send({ rootCombiningAlgorithm: 'urn:nope' }).expect(400);
    expect(errorCode(badAlg.body)).toBe('bad-request');
    const badRoot = await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/pdp`).send({ rootPolicyIds: ['not-there'] }).expect(400);
    expect(errorCode(badRoot.body)).toBe('bad-request');
    await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/pdp`).send({}).expect(400);
    await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/pdp`).send({ evaluationTimeoutMs: -1 }).expect(400);
    const ok = await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/pdp`).send({ rootPolicyIds: ['p'], evaluationTimeoutMs: 250 }).expect(200);
    expect(ok.body).toMatchObject({ rootPolicyIds: ['p'], evaluationTimeoutMs: 250 });
    const after = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/pdp`).expect(200);
    expect(after.body.rootCombiningAlgorithm).toBe(c.body.rootCombiningAlgorithm);
  });
});

describe.each(PROVIDERS)('change events the cached PDP already includes (%s)', (provider) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform(provider);
  });
  afterAll(async () => {
    await t.close();
  });

  it("keeps the cached PDP when the feed echoes a change it was built after, and drops it for one it has not seen", async () => {
    const o = await ownerWithDomain(t, 'echo');
    const pdps = t.platform.deps.pdps;
    const decide = async (action: string) => decisionOf((await t.as(o.owner.key).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson(action)).expect(200)).text);
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', '1.0', 'read')).expect(201);
    expect(await decide('read')).toBe('Permit');
    const compiled = pdps.compileCount;

    // The feed delivers the upload's event (this replica's own change) after the PDP was rebuilt.
    await pdps.invalidateIfChanged(o.domainId);
    expect(await decide('read')).toBe('Permit');
    expect(pdps.compileCount).toBe(compiled);

    // A change committed elsewhere (here: written without this replica's own invalidation).
    const other = await startTestPlatform(provider, {}, {}, t.db);
    try {
      await other.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', '2.0', 'write')).expect(201);
    } finally {
      await other.close();
    }
    await pdps.invalidateIfChanged(o.domainId);
    expect(await decide('write')).toBe('Permit');
    expect(pdps.compileCount).toBe(compiled + 1);
  });
});
