/** Lists a domain's policies: every stored version, and which one is active. */
import type { AppDeps } from '../../app-deps';
import { principalNames } from '../principals/principal-names';
import { loadDomainPolicies } from './domain-context';

export async function listPolicies(deps: Pick<AppDeps, 'repos'>, domainId: string) {
  const [{ active }, versions] = await Promise.all([loadDomainPolicies(deps, domainId), deps.repos.policies.listVersions(domainId)]);
  const activeById = new Map(active.map((a) => [a.policyId, a.version]));
  const nameOf = await principalNames(deps, versions.map((v) => v.createdBy));
  const byPolicy = new Map<string, { policyId: string; kind: string; activeVersion: string | null; versions: { version: string; createdAt: string; createdBy: string; createdByName: string | null }[] }>();
  for (const v of versions) {
    let entry = byPolicy.get(v.policyId);
    if (!entry) {
      entry = { policyId: v.policyId, kind: v.kind, activeVersion: activeById.get(v.policyId) ?? null, versions: [] };
      byPolicy.set(v.policyId, entry);
    }
    entry.kind = v.kind;
    entry.versions.push({ version: v.version, createdAt: v.createdAt.toISOString(), createdBy: v.createdBy, createdByName: nameOf(v.createdBy) });
  }
  return [...byPolicy.values()];
}
