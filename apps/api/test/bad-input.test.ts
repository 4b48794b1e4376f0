/** Bad input everywhere: a 4xx with the one error shape, and nothing changes. */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, decisionOf, permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

describe.each(PROVIDERS)('bad input (%s)', (provider) => {
  let t: TestPlatform;
  let o: OwnedDomain;

  beforeAll(async () => {
    t = await startTestPlatform(provider, { bodyLimitBytes: 64 * 1024, policyLimitBytes: 64 * 1024 });
    o = await ownerWithDomain(t, 'owner');
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p')).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Everything an owner can read about its world, to compare before and after. */
  async function state(): Promise<unknown> {
    const k = o.owner.key;
    const d = `/api/v1/domains/${o.domainId}`;
    const get = async (p: string) => (await t.as(k).get(p).expect(200)).body;
    const domain = (await get(d)) as Record<string, unknown>;
    const config = (await get(`${d}/pdp`)) as Record<string, unknown>;
    return {
      projects: await get('/api/v1/projects'),
      domains: await get(`/api/v1/projects/${o.projectId}/domains`),
      domain: { ...domain },
      policies: await get(`${d}/policies`),
      deployments: await get(`${d}/deployments`),
      config: { ...config },
      pip: await get(`${d}/pip/attributes`),
      services: await get('/api/v1/services'),
      principals: (await t.as(t.adminKey).get('/api/v1/principals').expect(200)).body,
    };
  }

  it('refuses each bad request with 4xx and the error shape, changing nothing', async () => {
    const before = await state();
    const d = `/api/v1/domains/${o.domainId}`;
    const big = 'x'.repeat(100 * 1024);
    type Case = [string, string, string | object | undefined, string | undefined, number];
    const cases: Case[] = [
      ['post', '/api/v1/projects', '{"name":', 'application/json', 400],
      ['post', '/api/v1/projects', { name: '' }, undefined, 400],
      ['post', '/api/v1/projects', { name: 'x', extra: true }, undefined, 400],
      ['post', '/api/v1/projects', [1, 2], undefined, 400],
      ['post', '/api/v1/projects', { name: big }, undefined, 413],
      ['patch', `/api/v1/projects/${o.projectId}`, {}, undefined, 400],
      ['patch', `/api/v1/projects/${o.projectId}`, { name: 42 }, undefined, 400],
      ['post', `/api/v1/projects/${o.projectId}/domains`, { name: 'd2', publicPdp: 'yes' }, undefined, 400],
      ['post', `/api/v1/projects/${o.projectId}/domains`, { name: 'd1' }, undefined, 409],
      ['put', `/api/v1/projects/${o.projectId}/collaborators/nobody`, undefined, undefined, 404],
      ['put', `${d}/controllers/nobody`, undefined, undefined, 404],
      ['patch', d, { publicPdp: null }, undefined, 400],
      ['post', `${d}/policies`, '<Policy', 'application/xml', 400],
      ['post', `${d}/policies`, `<Policy>${big}</Policy>`, 'application/xml', 413],
      ['post', `${d}/policies`, { policies: [{ text: 5 }] }, undefined, 400],
      ['post', `${d}/policies`, { policies: [{ text: permitPolicy('p') }] }, undefined, 409],
      ['post', `${d}/policies?activate=maybe`, permitPolicy('q'), 'application/xml', 400],
      ['post', `${d}/policies/p/versions/7.0/activate`, undefined, undefined, 404],
      ['post', `${d}/deployments/rollback`, { deployment: 'one' }, undefined, 400],
      ['post', `${d}/deployments/rollback`, { deployment: 99 }, undefined, 404],
      ['post', `${d}/deployments/rollback`, {}, undefined, 409],
      ['put', `${d}/pdp`, { xpath: 'no' }, undefined, 400],
      ['put', `${d}/pdp`, { logDetail: 'everything' }, undefined, 400],
      ['post', `${d}/pip/attributes`, { attributes: [] }, undefined, 400],
      ['post', `${d}/pip/attributes`, 'category,entity\n', 'text/csv', 400],
      ['post', `${d}/pip/attributes`, '<x/>', 'application/xml', 415],
      ['get', `${d}/pip/attributes?category=a&category=b`, undefined, undefined, 400],
      ['put', `${d}/context-handler`, { serviceId: 'a/b' }, undefined, 403],
      ['get', `${d}/decisions?limit=abc`, undefined, undefined, 400],
      ['get', `${d}/decisions?unknown=1`, undefined, undefined, 400],
      ['post', '/api/v1/services', { id: 'x' }, undefined, 400],
      ['post', '/api/v1/services', 'not json', 'application/json', 400],
      ['put', '/api/v1/services/nope', { id: 'nope' }, undefined, 404],
      ['post', `/pdp/${o.pdpId}`, '<Request', 'application/xacml+xml', 400],
      ['post', `/pdp/${o.pdpId}`, big, 'application/xacml+json', 413],
      ['post', `/pdp/${o.pdpId}/access/v1/evaluation`, { subject: {} }, undefined, 400],
      ['post', '/api/v1/principals', { name: 'has space' }, undefined, 400],
      ['patch', `/api/v1/principals/${o.owner.id}`, { roles: ['emperor'] }, undefined, 400],
      ['delete', `/api/v1/principals/${o.owner.id}/api-keys/nope`, undefined, undefined, 404],
    ];
    for (const [method, path, body, type, status] of cases) {
      const key = path.startsWith('/api/v1/principals') ? t.adminKey : o.owner.key;
      let req = t.as(key)[method as 'post'](path);
      if (type) req = req.set('Content-Type', type);
      const r = body === undefined ? await req : await req.send(body as string);
      expect([method, path, r.status]).toEqual([method, path, status]);
      expect(typeof errorCode(r.body)).toBe('string');
    }
    // The PDP's own rejected requests were not evaluations; everything else is as it was.
    expect(await state()).toEqual(before);
  });

  it('hostile documents: entity bombs, deep nesting and catastrophic regular expressions do no harm', async () => {
    const d = `/api/v1/domains/${o.domainId}`;
    const k = o.owner.key;
    const before = await state();
    const NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>`;
    const upload = await t.as(k).post(`${d}/policies`).set('Content-Type', 'application/xml').send(`${bomb}<Policy xmlns="${NS}" PolicyId="bomb" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides"><Description>&lol2;</Description><Target/></Policy>`).expect(400);
    expect(upload.body.error.message).toMatch(/DOCTYPE/);
    const request = await t.as(k).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+xml').send(`${bomb}<Request xmlns="${NS}" ReturnPolicyIdList="false" CombinedDecision="false"/>`).expect(400);
    expect(request.body.error.message).toMatch(/DOCTYPE/);
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const nested = await t.as(k).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(deep).expect(400);
    expect(errorCode(nested.body)).toBe('invalid-xacml-request');
    expect(await state()).toEqual(before);

    // A policy with a regular expression that backtracks exponentially elsewhere: RE2 runs it in linear time.
    const STR = 'http://www.w3.org/2001/XMLSchema#string';
    const redos = `<Policy xmlns="${NS}" PolicyId="redos" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit"><Target/>
      <Rule RuleId="a-only" Effect="Permit"><Condition><Apply FunctionId="urn:oasis:names:tc:xacml:3.0:function:any-of">
        <Function FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-regexp-match"/>
        <AttributeValue DataType="${STR}">^(a+)+$</AttributeValue>
        <AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" AttributeId="urn:oasis:names:tc:xacml:1.0:subject:subject-id" DataType="${STR}" MustBePresent="false"/>
      </Apply></Condition></Rule></Policy>`;
    await t.as(k).post(`${d}/policies`).set('Content-Type', 'application/xml').send(redos).expect(201);
    const evil = `${'a'.repeat(20_000)}!`;
    const r = await t.as(k).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('write', evil)).expect(200);
    expect(decisionOf(r.text)).toBe('Deny');
    const ok = await t.as(k).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('write', 'a'.repeat(20_000))).expect(200);
    expect(decisionOf(ok.text)).toBe('Permit');
    await t.as(k).delete(`${d}/policies/redos`).expect(200);
  });

  it('the last admin can neither be deleted nor lose the admin role', async () => {
    const me = (await t.as(t.adminKey).get('/api/v1/me').expect(200)).body;
    expect(errorCode((await t.as(t.adminKey).delete(`/api/v1/principals/${me.id}`).expect(409)).body)).toBe('conflict');
    expect(errorCode((await t.as(t.adminKey).patch(`/api/v1/principals/${me.id}`).send({ roles: [] }).expect(409)).body)).toBe('conflict');
  });
});
