/**
 * Before a service the PDPs will call (a UDF trust service or a Context Handler) is stored:
 * its descriptor must be usable for that role, and its endpoint allowed by the outbound
 * policy (SSRF), judged on the addresses its host resolves to now. Calls re-check at
 * connection time, so this only refuses early what would never work.
 */
import type { ServiceDescriptor } from '@safax/contracts';
import { contextHandlerDescriptorProblems, udfDescriptorProblems } from '@safax/udf-client';
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';

export async function checkCallableService(deps: Pick<AppDeps, 'checkEndpoint'>, d: ServiceDescriptor): Promise<void> {
  if (d.type !== 'udf' && d.type !== 'context-handler') return;
  const problems = d.type === 'udf' ? udfDescriptorProblems(d) : contextHandlerDescriptorProblems(d);
  if (problems.length > 0) throw new ApiError('bad-request', `service ${d.id} cannot be used as a ${d.type}: ${problems.join('; ')}`, { problems });
  await checkEndpoint(deps, d.id, d.endpoint);
}

/** Refuses an endpoint the outbound policy does not allow (400 endpoint-refused, with the reason). */
export async function checkEndpoint(deps: Pick<AppDeps, 'checkEndpoint'>, serviceId: string, endpoint: string): Promise<void> {
  if (!deps.checkEndpoint) return;
  const verdict = await deps.checkEndpoint(endpoint);
  if (!verdict.ok) {
    throw new ApiError('endpoint-refused', `the endpoint of service ${serviceId} is not allowed by the outbound policy (${verdict.code}): ${verdict.reason}`, { reason: verdict.code, endpoint });
  }
}
