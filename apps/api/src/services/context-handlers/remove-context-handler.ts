/** Removes a controller's Context Handler registration for a domain. */
import type { AppDeps } from '../../app-deps';
import { notFound } from '../../errors/api-error';

export async function removeContextHandler(deps: Pick<AppDeps, 'repos' | 'pdps'>, domainId: string, controllerId: string): Promise<void> {
  if (!(await deps.repos.contextHandlers.delete(domainId, controllerId))) throw notFound('context handler');
  deps.pdps.invalidate(domainId);
}
