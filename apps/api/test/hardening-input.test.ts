/**
 * Input hygiene (issue 14, finding 5) on both databases: malformed percent-encoding, NUL,
 * unpaired surrogates (paths, queries, JSON bodies, policy and request text), a decision-log
 * cursor holding a date out of range and a 1.9 MB PolicyId each answer 400 (never 500) with
 * the one error shape, and change nothing.
 */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

const cursorOf = (time: string) => Buffer.from(JSON.stringify([time, 'tx'])).toString('base64url');

describe.each(PROVIDERS)('input hygiene (%s)', (provider) => {
  let t: TestPlatform;
  let o: OwnedDomain;

  beforeAll(async () => {
    t = await startTestPlatform(provider, { policyLimitBytes: 4 * 1024 * 1024 });
    o = await ownerWithDomain(t, 'owner');
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p')).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  async function state(): Promise<unknown> {
    const k = o.owner.key;
    const d = `/api/v1/domains/${o.domainId}`;
    const get = async (p: string) => (await t.as(k).get(p).expect(200)).body;
    return {
      projects: await get('/api/v1/projects'),
      domains: await get(`/api/v1/projects/${o.projectId}/domains`),
      policies: await get(`${d}/policies`),
      deployments: await get(`${d}/deployments`),
      pip: await get(`${d}/pip/attributes`),
      services: await get('/api/v1/services'),
      principals: (await t.as(t.adminKey).get('/api/v1/principals').expect(200)).body,
    };
  }

  it('answers 400 with the error shape for each malformed input, and changes nothing', async () => {
    const before = await state();
    const d = `/api/v1/domains/${o.domainId}`;
    const policyWith = (text: string) => permitPolicy('q').replace('</Policy>', `<!--${text}--></Policy>`);
    type Case = [method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: string | object, type?: string];
    const cases: Case[] = [
      // Malformed percent-encoding in path parameters and queries.
      ['get', '/api/v1/domains/%E0%A4%A'],
      ['delete', `${d}/policies/%ZZ`],
      ['patch', '/api/v1/projects/%C3%28', { name: 'x' }],
      ['get', `${d}/decisions?q=%E0%A4%A`],
      ['get', '/pdp/%FF%FE'],
      // NUL in paths, queries, JSON bodies, policy text and request text.
      ['get', `${d}/policies/a%00b`],
      ['get', '/api/v1/services?q=a%00b'],
      ['post', '/api/v1/projects', { name: 'a\u0000b' }],
      ['patch', d, { description: 'x\u0000' }],
      ['post', `${d}/policies`, policyWith('a\u0000b'), 'application/xml'],
      ['post', `${d}/policies/validate`, policyWith('a\u0000b'), 'application/xml'],
      ['post', `${d}/policies`, { policies: [{ text: policyWith('\u0000') }] }],
      // Unpaired surrogates in names, keys, paths and policy text.
      ['post', '/api/v1/projects', '{"name":"\\ud800x"}', 'application/json'],
      ['post', `/api/v1/projects/${o.projectId}/domains`, '{"name":"ok","description":"\\udc00"}', 'application/json'],
      ['put', `${d}/pip/attributes`, '{"attributes":[{"\\ud83d":1}]}', 'application/json'],
      ['get', `${d}/policies/%ED%A0%80`],
      // (In XML text a lone surrogate cannot travel: UTF-8 has no form for it. A JSON escape can.)
      ['post', `${d}/policies`, JSON.stringify({ policies: [{ text: policyWith('SURROGATE') }] }).replace('SURROGATE', '\\ud800'), 'application/json'],
      // Over-long ids: a path segment past 1024 bytes; a 1.9 MB PolicyId (upload and dry run).
      ['get', `${d}/policies/${'x'.repeat(1100)}`],
      ['post', `${d}/policies`, permitPolicy('x'.repeat(1_900_000)), 'application/xml'],
      // A decision-log cursor holding a date out of range.
      ['get', `${d}/decisions?cursor=${cursorOf('+275760-09-13T00:00:00.000Z')}`],
      ['get', `${d}/decisions?cursor=${cursorOf('-000001-01-01T00:00:00.000Z')}`],
    ];
    const answers: string[] = [];
    for (const [method, path, body, type] of cases) {
      let req = t.as(o.owner.key)[method](path);
      if (type) req = req.set('Content-Type', type);
      const r = await (body === undefined ? req : req.send(body));
      answers.push(`${r.status} ${method} ${path.slice(0, 80)} ${JSON.stringify(r.body).slice(0, 120)}`);
      if (r.status === 400) expect(errorCode(r.body)).toMatch(/^(bad-request|invalid-policy|invalid-xacml-request)$/);
    }
    expect(answers.filter((a) => !a.startsWith('400 '))).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('the 1.9 MB PolicyId is refused by /validate too (its report), and the id limit is named', async () => {
    const r = await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies/validate`).set('Content-Type', 'application/xml').send(permitPolicy('y'.repeat(1_900_000))).expect(200);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'invalid-policy' } });
    expect(r.body.error.message).toContain('the PolicyId is 1900000 bytes long; the limit is 1024');
  });

  it('well-formed text with non-BMP characters and encoded slashes-free ids still works', async () => {
    const name = 'Ünïcødé 😀 project';
    const created = await t.as(o.owner.key).post('/api/v1/projects').send({ name }).expect(201);
    expect(created.body.name).toBe(name);
    await t.as(o.owner.key).delete(`/api/v1/projects/${encodeURIComponent(created.body.id as string)}`).expect(204);
    await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/policies/${encodeURIComponent('p')}`).expect(200);
  });
});
