/** PAP: versioned, all-or-nothing uploads compiled first; fetch, activate, remove, delete. */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, decisionOf, permitPolicy, policySetReferencing, policyWithUnknownFunction } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

describe.each(PROVIDERS)('PAP (%s)', (provider) => {
  let t: TestPlatform;
  let o: OwnedDomain;
  const base = () => `/api/v1/domains/${o.domainId}`;
  const decide = async (action: string) => decisionOf((await t.as(o.owner.key).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson(action)).expect(200)).text);
  const versions = async () => (await t.as(o.owner.key).get(`${base()}/policies`).expect(200)).body.items;

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    o = await ownerWithDomain(t, 'olga');
  });
  afterAll(async () => {
    await t.close();
  });

  it('a domain without policies answers NotApplicable', async () => {
    expect(await decide('read')).toBe('NotApplicable');
  });

  it('stores a single XML document and activates it', async () => {
    const r = await t.as(o.owner.key).post(`${base()}/policies`).set('Content-Type', 'application/xacml+xml').send(permitPolicy('p-read')).expect(201);
    expect(r.body.uploaded).toEqual([{ policyId: 'p-read', version: '1.0', kind: 'Policy' }]);
    expect(r.body.deployment).toMatchObject({ number: 1, reason: 'upload', active: true });
    expect(await decide('read')).toBe('Permit');
  });

  it('refuses a batch with one invalid document: 400 naming it, nothing stored', async () => {
    const before = await versions();
    const r = await t
      .as(o.owner.key)
      .post(`${base()}/policies`)
      .send({ policies: [{ text: permitPolicy('p-write', '1.0', 'write'), name: 'good.xml' }, { text: policyWithUnknownFunction('p-bad'), name: 'bad.xml' }] })
      .expect(400);
    expect(errorCode(r.body)).toBe('invalid-policy');
    expect(r.body.error.message).toMatch(/no-such-function/);
    expect(r.body.error.message).toMatch(/p-bad/);
    expect(await versions()).toEqual(before);
    expect(await decide('write')).toBe('NotApplicable');
  });

  it('refuses malformed XML and non-policy documents with 400, nothing stored', async () => {
    const before = await versions();
    const bad = await t.as(o.owner.key).post(`${base()}/policies`).set('Content-Type', 'application/xml').send('<Policy><unclosed>').expect(400);
    expect(errorCode(bad.body)).toBe('invalid-policy');
    const notPolicy = await t.as(o.owner.key).post(`${base()}/policies`).set('Content-Type', 'application/xml').send('<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"/>').expect(400);
    expect(errorCode(notPolicy.body)).toBe('invalid-policy');
    const empty = await t.as(o.owner.key).post(`${base()}/policies`).send({ policies: [] }).expect(400);
    expect(errorCode(empty.body)).toBe('bad-request');
    const wrongType = await t.as(o.owner.key).post(`${base()}/policies`).set('Content-Type', 'text/plain').send('hello').expect(415);
    expect(errorCode(wrongType.body)).toBe('unsupported-media-type');
    expect(await versions()).toEqual(before);
  });

  it('refuses a reference to a policy that is not there, and accepts it with the target in the same batch', async () => {
    const missing = await t.as(o.owner.key).post(`${base()}/policies`).send({ policies: [{ text: policySetReferencing('ps', ['p-missing']) }] }).expect(400);
    expect(errorCode(missing.body)).toBe('invalid-policy');
    await t
      .as(o.owner.key)
      .post(`${base()}/policies`)
      .send({ policies: [{ text: policySetReferencing('ps', ['p-read', 'p-delete']) }, { text: permitPolicy('p-delete', '1.0', 'delete') }] })
      .expect(201);
    expect(await decide('delete')).toBe('Permit');
  });

  it('refuses re-uploading an existing version with 409, and a batch holding one id twice with 400', async () => {
    const dup = await t.as(o.owner.key).post(`${base()}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p-read')).expect(409);
    expect(errorCode(dup.body)).toBe('conflict');
    const twice = await t.as(o.owner.key).post(`${base()}/policies`).send({ policies: [{ text: permitPolicy('p-x', '1.0') }, { text: permitPolicy('p-x', '2.0') }] }).expect(400);
    expect(errorCode(twice.body)).toBe('bad-request');
  });

  it('keeps versions: uploads without activating, fetches by version, latest, and as XML', async () => {
    await t.as(o.owner.key).post(`${base()}/policies?activate=false`).set('Content-Type', 'application/xml').send(permitPolicy('p-read', '1.1', 'peek')).expect(201);
    expect(await decide('peek')).toBe('NotApplicable');
    const latest = await t.as(o.owner.key).get(`${base()}/policies/p-read/versions/latest`).expect(200);
    expect(latest.body).toMatchObject({ policyId: 'p-read', version: '1.1', active: false, kind: 'Policy' });
    const v1 = await t.as(o.owner.key).get(`${base()}/policies/p-read/versions/1.0`).expect(200);
    expect(v1.body.active).toBe(true);
    const xml = await t.as(o.owner.key).get(`${base()}/policies/p-read`).set('Accept', 'application/xacml+xml').expect(200);
    expect(xml.headers['content-type']).toMatch(/application\/xacml\+xml/);
    expect(xml.text).toContain('Version="1.1"');
    await t.as(o.owner.key).get(`${base()}/policies/p-read/versions/9.9`).expect(404);
    const badVersion = await t.as(o.owner.key).get(`${base()}/policies/p-read/versions/abc`).expect(400);
    expect(errorCode(badVersion.body)).toBe('bad-request');
  });

  it('activates a stored version, then rolls back', async () => {
    await t.as(o.owner.key).post(`${base()}/policies/p-read/versions/1.1/activate`).expect(200);
    expect(await decide('peek')).toBe('Permit');
    expect(await decide('read')).toBe('NotApplicable');
    const rb = await t.as(o.owner.key).post(`${base()}/deployments/rollback`).send({}).expect(200);
    expect(rb.body.deployment.reason).toBe('rollback');
    expect(await decide('read')).toBe('Permit');
    const history = await t.as(o.owner.key).get(`${base()}/deployments`).expect(200);
    expect(history.body.items[0]).toMatchObject({ active: true, reason: 'rollback' });
  });

  it('will not remove a policy another one references, nor delete an active version', async () => {
    const r = await t.as(o.owner.key).delete(`${base()}/policies/p-delete`).expect(400);
    expect(errorCode(r.body)).toBe('invalid-policy');
    const active = await t.as(o.owner.key).delete(`${base()}/policies/p-read/versions/1.0`).expect(409);
    expect(errorCode(active.body)).toBe('conflict');
    expect(await decide('delete')).toBe('Permit');
  });

  it('removes a policy from the active set and deletes an inactive version', async () => {
    await t.as(o.owner.key).delete(`${base()}/policies/ps`).expect(200);
    await t.as(o.owner.key).delete(`${base()}/policies/p-delete`).expect(200);
    expect(await decide('delete')).toBe('NotApplicable');
    await t.as(o.owner.key).delete(`${base()}/policies/p-read/versions/1.1`).expect(204);
    await t.as(o.owner.key).get(`${base()}/policies/p-read/versions/1.1`).expect(404);
    expect(await decide('read')).toBe('Permit');
  });

  it('compatibility mode (PDP configuration, off by default) loads what strict refuses and reports each leniency', async () => {
    const cfg = await t.as(o.owner.key).get(`${base()}/pdp`).expect(200);
    expect(cfg.body.compatibilityMode).toBe(false);
    const lenientSet = policySetReferencing('ps-compat', ['p-read', 'p-not-there']);
    const strict = await t.as(o.owner.key).post(`${base()}/policies/validate`).set('Content-Type', 'application/xml').send(lenientSet).expect(200);
    expect(strict.body.ok).toBe(false);
    const on = await t.as(o.owner.key).put(`${base()}/pdp`).send({ compatibilityMode: true }).expect(200);
    expect(on.body.compatibilityMode).toBe(true);
    const up = await t.as(o.owner.key).post(`${base()}/policies`).set('Content-Type', 'application/xml').send(lenientSet).expect(201);
    expect(up.body.warnings).toEqual([expect.objectContaining({ code: 'unresolved-reference', strictCode: 'undefined-reference', message: expect.stringMatching(/p-not-there/) })]);
    // permit-overrides stops at p-read's Permit before reaching the missing reference.
    expect(await decide('read')).toBe('Permit');
    // Back to strict would make the active set invalid: refused, nothing changed.
    const off = await t.as(o.owner.key).put(`${base()}/pdp`).send({ compatibilityMode: false }).expect(400);
    expect(errorCode(off.body)).toBe('invalid-policy');
    await t.as(o.owner.key).delete(`${base()}/policies/ps-compat`).expect(200);
    await t.as(o.owner.key).put(`${base()}/pdp`).send({ compatibilityMode: false }).expect(200);
    const invalid = await t.as(o.owner.key).put(`${base()}/pdp`).send({ compatibilityMode: 'yes' }).expect(400);
    expect(errorCode(invalid.body)).toBe('bad-request');
  });

  it('refuses bodies over the size limit with 413, and malformed JSON with 400', async () => {
    // Policy uploads are bounded by SAFAX_POLICY_LIMIT_BYTES (16 MiB by default), not the 2 MiB body limit.
    const big = 'x'.repeat(t.platform.deps.config.policyLimitBytes + 1);
    const r = await t.as(o.owner.key).post(`${base()}/policies`).set('Content-Type', 'application/xml').send(`<Policy>${big}</Policy>`).expect(413);
    expect(errorCode(r.body)).toBe('payload-too-large');
    const m = await t.as(o.owner.key).post(`${base()}/policies`).set('Content-Type', 'application/json').send('{"policies": [').expect(400);
    expect(errorCode(m.body)).toBe('malformed-body');
  });
});
