/**
 * Creates a domain in a project with its PDP (an unguessable PDP id), a default PDP
 * configuration, and the PDP's Service Repository entry — in one transaction.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import type { PdpConfigInput } from '../../repositories/ports';
import { assertGuestQuota, guestQuotaLimit } from '../guests/guest-quotas';
import { domainView, pdpUrl } from '../views';
import { pdpServiceDescriptor } from './pdp-service-descriptor';

export const DEFAULT_PDP_CONFIG: PdpConfigInput = {
  rootCombiningAlgorithm: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-overrides',
  rootPolicyIds: [],
  returnPolicyIdList: false,
  xpath: true,
  compatibilityMode: false,
  evaluationTimeoutMs: 5000,
  trustedServices: {},
  logDetail: 'decision',
  logRetentionDays: null,
};

export async function createDomain(deps: Pick<AppDeps, 'repos' | 'config'>, projectId: string, input: { name: string; description?: string; publicPdp?: boolean }) {
  const project = await deps.repos.projects.findById(projectId);
  if (!project) throw notFound('project');
  await assertGuestQuota(deps, project.ownerId, 'domains', 1);
  const owner = await deps.repos.principals.findById(project.ownerId);
  const id = randomUUID();
  const pdpId = randomBytes(24).toString('base64url');
  const descriptor = pdpServiceDescriptor({ domainId: id, domainName: input.name, ownerId: project.ownerId, ownerName: owner?.name ?? project.ownerId, pdpUrl: pdpUrl(deps.config, pdpId) });
  const d = await deps.repos.domains.create(
    { id, projectId, name: input.name, description: input.description ?? '', pdpId, publicPdp: input.publicPdp ?? false },
    DEFAULT_PDP_CONFIG,
    { id: descriptor.id, providerId: descriptor.provider.id, description: descriptor.description, descriptor: JSON.stringify(descriptor), registeredById: project.ownerId },
    await guestQuotaLimit(deps, project.ownerId, 'domains'),
  );
  return domainView(deps.config, d);
}
