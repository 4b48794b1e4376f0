/**
 * The service's own decision on a PDP call (may this key ask this PDP?) is cached with the PDP
 * entry, and a change to who may ask takes effect on the next call: adding and removing a
 * controller, making the PDP public and private again — each checked with repeated calls, so
 * a cached answer from before the change would show.
 */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, decisionOf, permitPolicy } from './support/policies';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

jest.setTimeout(30_000);

describe('self-protection decisions on the PDP path', () => {
  let t: TestPlatform;
  let o: OwnedDomain;
  let dc: { id: string; key: string };
  const ask = async (key: string | null) => {
    const r = await t.as(key).post(`/pdp/${o.pdpId}`).set('Content-Type', 'application/xacml+json').send(actionRequestJson('read'));
    return r.status === 200 ? decisionOf(r.text) : errorCode(r.body);
  };
  const askTwice = async (key: string | null) => [await ask(key), await ask(key)];

  beforeAll(async () => {
    t = await startTestPlatform('sqlite');
    o = await ownerWithDomain(t, 'owner');
    dc = await createUser(t, 'dc', ['domains-controller']);
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p')).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  it('follows controller changes at once', async () => {
    expect(await askTwice(dc.key)).toEqual(['not-found', 'not-found']);
    await t.as(o.owner.key).put(`/api/v1/domains/${o.domainId}/controllers/dc`).expect(200);
    expect(await askTwice(dc.key)).toEqual(['Permit', 'Permit']);
    await t.as(o.owner.key).delete(`/api/v1/domains/${o.domainId}/controllers/${dc.id}`).expect(200);
    expect(await askTwice(dc.key)).toEqual(['not-found', 'not-found']);
  });

  it('follows the public flag at once, for anonymous callers too', async () => {
    expect(await askTwice(null)).toEqual(['unauthenticated', 'unauthenticated']);
    await t.as(o.owner.key).patch(`/api/v1/domains/${o.domainId}`).send({ publicPdp: true }).expect(200);
    expect(await askTwice(null)).toEqual(['Permit', 'Permit']);
    expect(await askTwice(dc.key)).toEqual(['Permit', 'Permit']);
    await t.as(o.owner.key).patch(`/api/v1/domains/${o.domainId}`).send({ publicPdp: false }).expect(200);
    expect(await askTwice(null)).toEqual(['unauthenticated', 'unauthenticated']);
    expect(await askTwice(dc.key)).toEqual(['not-found', 'not-found']);
  });

  it('keeps answering the owner the same', async () => {
    expect(await askTwice(o.owner.key)).toEqual(['Permit', 'Permit']);
  });
});
