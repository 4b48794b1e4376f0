/**
 * The attribute resolver a domain's PDP is compiled with: the domain's sample PIP first, then
 * the calling domains controller's registered Context Handler (through the ContextHandlerClient
 * port), for attributes the request does not carry.
 */
import type { AttributeResolver } from '@safax/xacml';
import { serviceDescriptorSchema } from '@safax/contracts';
import type { ServiceDescriptor } from '@safax/contracts';
import type { ContextHandlerRepository, ServiceRepository } from '../repositories/ports';
import type { ContextHandlerClient } from './context-handler-client';
import { evaluationContext } from './evaluation-context';
import type { PipIndex } from './pip-index';

export interface DomainResolverDeps {
  readonly contextHandlers: ContextHandlerRepository;
  readonly services: ServiceRepository;
  readonly client: ContextHandlerClient;
}

export function domainResolver(domainId: string, pip: PipIndex, deps: DomainResolverDeps): AttributeResolver {
  // Registrations change rarely; a change invalidates the whole cached PDP and this memo with it.
  const handlers = new Map<string, Promise<ServiceDescriptor | null>>();
  const handlerOf = (callerId: string): Promise<ServiceDescriptor | null> => {
    let p = handlers.get(callerId);
    if (!p) {
      p = (async () => {
        const reg = await deps.contextHandlers.find(domainId, callerId);
        if (!reg) return null;
        const svc = await deps.services.findById(reg.serviceId);
        if (!svc || !svc.enabled) return null;
        const parsed = serviceDescriptorSchema.safeParse(JSON.parse(svc.descriptor));
        return parsed.success ? parsed.data : null;
      })();
      handlers.set(callerId, p);
    }
    return p;
  };
  return {
    async resolve(query, request) {
      const fromPip = pip.lookup(query, request);
      if (fromPip.length > 0) return fromPip;
      const callerId = evaluationContext.getStore()?.callerId;
      if (!callerId) return [];
      const handler = await handlerOf(callerId);
      return handler ? deps.client.resolve(handler, query, request) : [];
    },
  };
}
