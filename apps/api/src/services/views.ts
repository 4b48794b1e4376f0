/** The JSON views the API returns for stored records (documented in openapi.yaml). */
import type { ServiceDescriptor } from '@safax/contracts';
import type { AppConfig } from '../config/app-config';
import type { DomainRecord, PdpConfigRecord, PrincipalRecord, PrincipalRef, ProjectRecord, ServiceRecordRow } from '../repositories/ports';

/** Principals as `{ id, name }` (the name is the id when the record did not carry names). */
function refs(ids: readonly string[], named: readonly PrincipalRef[] | undefined): PrincipalRef[] {
  return ids.map((id) => ({ id, name: named?.find((n) => n.id === id)?.name ?? id }));
}

export function principalView(p: PrincipalRecord) {
  return { id: p.id, name: p.name, roles: [...p.roles], createdAt: p.createdAt.toISOString(), ...(p.expiresAt ? { expiresAt: p.expiresAt.toISOString() } : {}) };
}

export function projectView(p: ProjectRecord, ownerName?: string | null) {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    ownerId: p.ownerId,
    ...(ownerName !== undefined ? { ownerName } : {}),
    collaborators: refs(p.collaboratorIds, p.collaborators),
    createdAt: p.createdAt.toISOString(),
  };
}

export function pdpUrl(config: AppConfig, pdpId: string): string {
  return `${config.publicBaseUrl}/pdp/${pdpId}`;
}

export function domainView(config: AppConfig, d: DomainRecord) {
  return {
    id: d.id,
    projectId: d.projectId,
    name: d.name,
    description: d.description,
    pdpId: d.pdpId,
    pdpUrl: pdpUrl(config, d.pdpId),
    publicPdp: d.publicPdp,
    revision: d.revision,
    controllers: refs(d.controllerIds, d.controllers),
    createdAt: d.createdAt.toISOString(),
  };
}

export function pdpConfigView(config: AppConfig, d: DomainRecord, c: PdpConfigRecord) {
  return {
    pdpId: d.pdpId,
    pdpUrl: pdpUrl(config, d.pdpId),
    rootCombiningAlgorithm: c.rootCombiningAlgorithm,
    rootPolicyIds: [...c.rootPolicyIds],
    returnPolicyIdList: c.returnPolicyIdList,
    xpath: c.xpath,
    compatibilityMode: c.compatibilityMode,
    evaluationTimeoutMs: c.evaluationTimeoutMs,
    logDetail: c.logDetail,
    logRetentionDays: c.logRetentionDays,
    trustedServices: { ...c.trustedServices },
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function serviceView(s: ServiceRecordRow, registeredByName?: string | null) {
  return {
    descriptor: JSON.parse(s.descriptor) as ServiceDescriptor,
    enabled: s.enabled,
    registeredBy: s.registeredById,
    ...(registeredByName !== undefined ? { registeredByName } : {}),
    ...(s.domainId !== null ? { domainId: s.domainId } : {}),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
