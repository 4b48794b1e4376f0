/** A domain owner with a project and a domain, ready for policies. */
import { createUser } from './test-platform';
import type { TestPlatform } from './test-platform';

export interface OwnedDomain {
  readonly owner: { id: string; key: string };
  readonly projectId: string;
  readonly domainId: string;
  readonly pdpId: string;
}

export async function ownerWithDomain(t: TestPlatform, ownerName: string, domainName = 'd1'): Promise<OwnedDomain> {
  const owner = await createUser(t, ownerName, ['domain-owner']);
  const p = await t.as(owner.key).post('/api/v1/projects').send({ name: `${ownerName}-project` }).expect(201);
  const d = await t.as(owner.key).post(`/api/v1/projects/${p.body.id}/domains`).send({ name: domainName }).expect(201);
  return { owner, projectId: p.body.id, domainId: d.body.id, pdpId: d.body.pdpId };
}
