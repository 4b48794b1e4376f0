/** Deletes a stored version that is not active (and the past deployments that held it). */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';
import { serialisedPapWrite } from './serialised-pap-write';

export function deletePolicyVersion(deps: Pick<AppDeps, 'repos'>, domainId: string, policyId: string, version: string): Promise<void> {
  return serialisedPapWrite(domainId, async () => {
    const v = await deps.repos.policies.findVersion(domainId, policyId, version);
    if (!v) throw notFound('policy version');
    await deps.repos.policies.deleteVersion(domainId, v.id);
  });
}
