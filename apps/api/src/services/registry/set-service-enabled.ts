/** Enables or disables a service (a disabled one is not called, nor offered by default discovery filters). */
import type { AppDeps } from '../../app-deps';
import { afterServiceChange } from './after-service-change';
import { serviceView } from '../views';
import { findChangeableService } from './managed-service';

export async function setServiceEnabled(deps: Pick<AppDeps, 'repos' | 'pdps' | 'udfSync'>, id: string, enabled: boolean) {
  await findChangeableService(deps, id);
  const row = await deps.repos.services.update(id, { enabled });
  await afterServiceChange(deps, id);
  return serviceView(row);
}
