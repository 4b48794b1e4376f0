/**
 * Replaces a service's descriptor (its id, registrant and provider stay); an enabled udf may
 * not move to a URN another provider holds (409).
 */
import type { ServiceDescriptor } from '@safax/contracts';
import type { AppDeps } from '../../app-deps';
import { afterServiceChange } from './after-service-change';
import { checkCallableService } from './check-callable-service';
import { ApiError } from '../../errors/api-error';
import { serviceView } from '../views';
import { findChangeableService } from './managed-service';
import { assertUrnFree, urnClaim, withProvider } from './function-urn-owner';

export async function updateService(deps: Pick<AppDeps, 'repos' | 'pdps' | 'udfSync' | 'checkEndpoint'>, id: string, input: ServiceDescriptor) {
  const before = await findChangeableService(deps, id);
  if (input.id !== id) throw new ApiError('bad-request', `the descriptor id ${input.id} differs from the service id ${id}`);
  if (input.type === 'pdp') throw new ApiError('bad-request', 'PDP services are registered with their domain');
  const d = withProvider(input, before.registeredById);
  await checkCallableService(deps, d);
  const contested = before.enabled ? d.functionUrn : undefined;
  await assertUrnFree(deps, contested, before.registeredById, id);
  const row = await deps.repos.services.update(
    id,
    {
      type: d.type,
      functionUrn: d.functionUrn ?? null,
      providerId: before.registeredById,
      description: d.description,
      descriptor: JSON.stringify(d),
    },
    urnClaim(contested, before.registeredById, id),
  );
  await afterServiceChange(deps, id);
  return serviceView(row);
}
