/**
 * A domains controller names the Service Repository entry (type context-handler, registered by
 * itself) the domain's PDP should ask for attributes its requests lack. Its endpoint must be
 * allowed by the outbound policy.
 */
import { serviceDescriptorSchema } from '@safax/contracts';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { ApiError, notFound } from '../../errors/api-error';
import { checkEndpoint } from '../registry/check-callable-service';

export function contextHandlerView(r: { domainId: string; principalId: string; serviceId: string; createdAt: Date }) {
  return { domainId: r.domainId, controllerId: r.principalId, serviceId: r.serviceId, createdAt: r.createdAt.toISOString() };
}

export async function registerContextHandler(deps: Pick<AppDeps, 'repos' | 'pdps' | 'checkEndpoint'>, actor: Actor, domainId: string, serviceId: string) {
  const s = await deps.repos.services.findById(serviceId);
  // Only the caller's own services can be named: any other answers as an unknown id, so this
  // call cannot tell whether (or as what) someone else's service, e.g. another domain's PDP, exists.
  if (!s || s.registeredById !== actor.id) throw notFound('service');
  if (s.type !== 'context-handler') throw new ApiError('bad-request', `service ${serviceId} is a ${s.type}, not a context-handler`);
  // The allow-list may have narrowed since the service was stored.
  const d = serviceDescriptorSchema.safeParse(JSON.parse(s.descriptor));
  if (!d.success) throw new ApiError('bad-request', `service ${serviceId} has an unusable descriptor`);
  await checkEndpoint(deps, serviceId, d.data.endpoint);
  const r = await deps.repos.contextHandlers.upsert({ domainId, principalId: actor.id, serviceId });
  deps.pdps.invalidate(domainId);
  return contextHandlerView(r);
}
