/**
 * Context Handler clients for a whole installation, keyed by the registered service: the
 * platform's resolver asks `pool.resolve(handlerDescriptor, query, request)` and the pool
 * keeps one client per registration (remade when the endpoint or timeout changes), all
 * sharing one connection pool under one outbound policy.
 *
 * A Context Handler speaks the fixed JSON protocol of context-handler-client.ts, so its
 * registration must say POST, json in, json out: `contextHandlerDescriptorProblems` lets the
 * Service Repository refuse one that says otherwise.
 */
import type { ServiceDescriptor } from '@safax/contracts';
import type { AttributeQuery, ResolverRequestView } from './engine';
import { createContextHandlerClient, type ContextHandlerClient, type ContextHandlerClientOptions, type ContextHandlerRegistration } from './context-handler-client';
import { createOutboundPolicy } from './outbound-policy';
import { createSafeFetcher } from './safe-fetch';

export interface ContextHandlerPool {
  resolve(handler: ContextHandlerRegistration, query: AttributeQuery, request: ResolverRequestView): Promise<readonly string[]>;
  /** Drops the client of a registration (after update or removal). */
  forget(handlerId: string): void;
  close(): void;
}

/** Why a descriptor cannot be used as a Context Handler; [] when it can. */
export function contextHandlerDescriptorProblems(d: Pick<ServiceDescriptor, 'type' | 'method' | 'requestFormat' | 'responseFormat'>): string[] {
  const problems: string[] = [];
  if (d.type !== 'context-handler') problems.push(`its type is ${d.type}, not context-handler`);
  if (d.method !== 'POST') problems.push('a Context Handler is called with POST');
  if (d.requestFormat !== 'json' || d.responseFormat !== 'json') problems.push('a Context Handler speaks JSON (requestFormat and responseFormat json)');
  return problems;
}

export function createContextHandlerPool(options: Omit<ContextHandlerClientOptions, 'fetcher'> = {}): ContextHandlerPool {
  const fetcher = createSafeFetcher(options.policy ?? createOutboundPolicy());
  const clients = new Map<string, { readonly signature: string; readonly client: ContextHandlerClient }>();
  return {
    resolve(handler, query, request) {
      const signature = JSON.stringify([handler.endpoint, handler.timeoutMs]);
      let entry = clients.get(handler.id);
      if (entry?.signature !== signature) {
        entry = { signature, client: createContextHandlerClient({ id: handler.id, endpoint: handler.endpoint, ...(handler.timeoutMs !== undefined ? { timeoutMs: handler.timeoutMs } : {}) }, { ...options, fetcher }) };
        clients.set(handler.id, entry);
      }
      return entry.client.resolve(query, request);
    },
    forget: (handlerId) => void clients.delete(handlerId),
    close: () => fetcher.close(),
  };
}
