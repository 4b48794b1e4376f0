/** Registers a service from its validated descriptor; the caller becomes its registrant. */
import type { ServiceDescriptor } from '@safax/contracts';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { afterServiceChange } from './after-service-change';
import { checkCallableService } from './check-callable-service';
import { ApiError } from '../../errors/api-error';
import { serviceView } from '../views';

export async function registerService(deps: Pick<AppDeps, 'repos' | 'pdps' | 'udfSync' | 'checkEndpoint'>, actor: Actor, d: ServiceDescriptor) {
  // PDPs are registered by the platform with their domain; a hand-made PDP entry would mislead discovery.
  if (d.type === 'pdp') throw new ApiError('bad-request', 'PDP services are registered with their domain');
  await checkCallableService(deps, d);
  const row = await deps.repos.services.create({
    id: d.id,
    type: d.type,
    functionUrn: d.functionUrn ?? null,
    providerId: d.provider.id,
    description: d.description,
    descriptor: JSON.stringify(d),
    registeredById: actor.id,
  });
  await afterServiceChange(deps, row.id);
  return serviceView(row, actor.name);
}
