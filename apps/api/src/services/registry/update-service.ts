/** Replaces a service's descriptor (its id stays). */
import type { ServiceDescriptor } from '@safax/contracts';
import type { AppDeps } from '../../app-deps';
import { afterServiceChange } from './after-service-change';
import { checkCallableService } from './check-callable-service';
import { ApiError } from '../../errors/api-error';
import { serviceView } from '../views';
import { findChangeableService } from './managed-service';

export async function updateService(deps: Pick<AppDeps, 'repos' | 'pdps' | 'udfSync' | 'checkEndpoint'>, id: string, d: ServiceDescriptor) {
  await findChangeableService(deps, id);
  if (d.id !== id) throw new ApiError('bad-request', `the descriptor id ${d.id} differs from the service id ${id}`);
  if (d.type === 'pdp') throw new ApiError('bad-request', 'PDP services are registered with their domain');
  await checkCallableService(deps, d);
  const row = await deps.repos.services.update(id, {
    type: d.type,
    functionUrn: d.functionUrn ?? null,
    providerId: d.provider.id,
    description: d.description,
    descriptor: JSON.stringify(d),
  });
  await afterServiceChange(deps, id);
  return serviceView(row);
}
