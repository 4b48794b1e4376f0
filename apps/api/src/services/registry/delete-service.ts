/** Deletes a service (and the Context Handler registrations that used it). */
import type { AppDeps } from '../../app-deps';
import { afterServiceChange } from './after-service-change';
import { findChangeableService } from './managed-service';

export async function deleteService(deps: Pick<AppDeps, 'repos' | 'pdps' | 'udfSync'>, id: string): Promise<void> {
  await findChangeableService(deps, id);
  await deps.repos.services.delete(id);
  await afterServiceChange(deps, id);
}
