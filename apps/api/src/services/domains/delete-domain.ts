/** Deletes a domain with its PDP, policies, PIP data, logs and PDP service entry. */
import type { AppDeps } from '../../app-deps';

export async function deleteDomain(deps: Pick<AppDeps, 'repos' | 'pdps'>, id: string): Promise<void> {
  await deps.repos.domains.delete(id);
  deps.pdps.invalidate(id);
}
