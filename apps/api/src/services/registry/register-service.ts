/**
 * Registers a service from its validated descriptor. The caller becomes its registrant and
 * its provider (the descriptor's `provider.id` is replaced by the caller's principal id);
 * a udf's function URN must not be another provider's (409).
 */
import type { ServiceDescriptor } from '@safax/contracts';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { afterServiceChange } from './after-service-change';
import { checkCallableService } from './check-callable-service';
import { ApiError } from '../../errors/api-error';
import { serviceView } from '../views';
import { assertUrnFree, urnClaim, withProvider } from './function-urn-owner';

export async function registerService(deps: Pick<AppDeps, 'repos' | 'pdps' | 'udfSync' | 'checkEndpoint'>, actor: Actor, input: ServiceDescriptor) {
  // PDPs are registered by the platform with their domain; a hand-made PDP entry would mislead discovery.
  if (input.type === 'pdp') throw new ApiError('bad-request', 'PDP services are registered with their domain');
  const d = withProvider(input, actor.id);
  await checkCallableService(deps, d);
  await assertUrnFree(deps, d.functionUrn, actor.id, d.id);
  const row = await deps.repos.services.create(
    {
      id: d.id,
      type: d.type,
      functionUrn: d.functionUrn ?? null,
      providerId: actor.id,
      description: d.description,
      descriptor: JSON.stringify(d),
      registeredById: actor.id,
    },
    urnClaim(d.functionUrn, actor.id, d.id),
  );
  await afterServiceChange(deps, row.id);
  return serviceView(row, actor.name);
}
