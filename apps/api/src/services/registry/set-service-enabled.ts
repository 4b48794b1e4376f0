/**
 * Enables or disables a service (a disabled one is not called, nor offered by default
 * discovery filters). Enabling a udf whose URN another provider now holds is refused (409).
 */
import type { AppDeps } from '../../app-deps';
import { afterServiceChange } from './after-service-change';
import { serviceView } from '../views';
import { findChangeableService } from './managed-service';
import { assertUrnFree, urnClaim } from './function-urn-owner';

export async function setServiceEnabled(deps: Pick<AppDeps, 'repos' | 'pdps' | 'udfSync'>, id: string, enabled: boolean) {
  const before = await findChangeableService(deps, id);
  const contested = enabled && !before.enabled && before.type === 'udf' ? before.functionUrn : null;
  await assertUrnFree(deps, contested, before.registeredById, id);
  const row = await deps.repos.services.update(id, { enabled }, urnClaim(contested, before.registeredById, id));
  await afterServiceChange(deps, id);
  return serviceView(row);
}
