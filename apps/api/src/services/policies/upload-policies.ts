/**
 * PAP upload: a batch of Policy/PolicySet documents, all-or-nothing. Each document is
 * inspected (id, version, kind); the active set it would produce (uploaded documents replace
 * same-id ones) is compiled; only then are the new versions stored and, unless
 * `activate` is false, made the active set — one transaction.
 */
import { idProblem } from '../../server/input-hygiene';
import { randomUUID } from 'node:crypto';
import { XacmlError, inspectPolicy } from '@safax/xacml';
import type { CompatibilityWarning, ParseLimits } from '@safax/xacml';
import { policyLimits } from '../../pdp/pdp-registry';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { ApiError, conflict } from '../../errors/api-error';
import type { NewPolicyVersion } from '../../repositories/ports';
import { assertDomainGuestQuota, domainGuestQuotaLimit } from '../guests/guest-quotas';
import { compileCandidate } from './compile-candidate';
import { deploymentView } from './deployment-view';
import { loadDomainPolicies } from './domain-context';
import { serialisedPapWrite } from './serialised-pap-write';

/** A leniency as the API reports it. */
export function warningView(w: CompatibilityWarning) {
  return { code: w.code, message: w.message, path: w.path, ...(w.line !== undefined ? { line: w.line } : {}), ...(w.strictCode ? { strictCode: w.strictCode } : {}) };
}

export interface UploadedDocument {
  readonly text: string;
  readonly name?: string;
}

function inspectAll(docs: readonly UploadedDocument[], limits: Partial<ParseLimits>): NewPolicyVersion[] {
  const out: NewPolicyVersion[] = [];
  docs.forEach((doc, i) => {
    const label = doc.name ?? `document ${i + 1}`;
    try {
      const info = inspectPolicy(doc.text, limits);
      const bad = idProblem(info.id) ?? idProblem(info.version);
      if (bad) throw new ApiError('invalid-policy', `${label}: the ${idProblem(info.id) ? 'PolicyId' : 'Version'} ${bad}`, [{ document: label, code: 'limit-exceeded', path: '/', message: `the ${idProblem(info.id) ? 'PolicyId' : 'Version'} ${bad}` }]);
      out.push({ id: randomUUID(), policyId: info.id, version: info.version, kind: info.kind, text: doc.text });
    } catch (e) {
      if (e instanceof XacmlError) throw new ApiError('invalid-policy', `${label}: ${e.message}`, e.issues.map((issue) => ({ document: label, ...issue })));
      throw e;
    }
  });
  return out;
}

/** What an upload would store: the new versions and the active versions it keeps. */
export interface UploadPlan {
  readonly versions: readonly NewPolicyVersion[];
  readonly keptIds: readonly string[];
  /** The active deployment the plan was made from. */
  readonly activeDeploymentId: string | null;
  /** Compatibility mode: what the active set needed that strict mode refuses. */
  readonly warnings: readonly CompatibilityWarning[];
}

/**
 * Every check an upload makes, storing nothing: inspection, duplicates in the batch, existing
 * versions, the guest quota, and the compilation of the active set it would produce.
 * Throws the ApiError the upload answers with.
 */
export async function planUpload(deps: Pick<AppDeps, 'repos' | 'functionProviderFor' | 'config'>, domainId: string, docs: readonly UploadedDocument[]): Promise<UploadPlan> {
  const versions = inspectAll(docs, policyLimits(deps.config));
  const ids = new Set<string>();
  for (const v of versions) {
    if (ids.has(v.policyId)) throw new ApiError('bad-request', `the batch holds policy ${v.policyId} twice`);
    ids.add(v.policyId);
  }
  const { config, active, activeDeploymentId } = await loadDomainPolicies(deps, domainId);
  for (const v of versions) {
    if (await deps.repos.policies.findVersion(domainId, v.policyId, v.version)) {
      throw conflict(`policy ${v.policyId} version ${v.version} already exists: raise its Version`, { policyId: v.policyId, version: v.version });
    }
  }
  await assertDomainGuestQuota(deps, domainId, 'policyVersions', versions.length);
  const kept = active.filter((a) => !ids.has(a.policyId));
  let warnings: readonly CompatibilityWarning[];
  try {
    warnings = compileCandidate(deps, domainId, config, [...kept, ...versions]);
  } catch (e) {
    if (e instanceof XacmlError) throw new ApiError('invalid-policy', e.message, e.issues);
    throw e;
  }
  return { versions, keptIds: kept.map((k) => k.id), activeDeploymentId, warnings };
}

export function uploadPolicies(deps: Pick<AppDeps, 'repos' | 'pdps' | 'functionProviderFor' | 'config'>, actor: Actor, domainId: string, docs: readonly UploadedDocument[], activate: boolean) {
  return serialisedPapWrite(domainId, () => upload(deps, actor, domainId, docs, activate));
}

async function upload(deps: Pick<AppDeps, 'repos' | 'pdps' | 'functionProviderFor' | 'config'>, actor: Actor, domainId: string, docs: readonly UploadedDocument[], activate: boolean) {
  const { versions, keptIds, activeDeploymentId, warnings } = await planUpload(deps, domainId, docs);
  const deployment = await deps.repos.policies.publish(domainId, {
    newVersions: versions,
    ...(activate ? { activeVersionIds: [...keptIds, ...versions.map((v) => v.id)], expectedActiveDeploymentId: activeDeploymentId } : {}),
    reason: 'upload',
    by: actor.id,
    quota: await domainGuestQuotaLimit(deps, domainId, 'policyVersions'),
  });
  if (activate) deps.pdps.invalidate(domainId);
  return {
    uploaded: versions.map((v) => ({ policyId: v.policyId, version: v.version, kind: v.kind })),
    deployment: deployment ? deploymentView(deployment) : null,
    warnings: warnings.map(warningView),
  };
}
