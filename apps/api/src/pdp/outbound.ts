/**
 * The platform's outbound side (SSRF policy, UDF registry, Context Handler pool), built once
 * from configuration. Every call the PDPs make to trust services and Context Handlers goes
 * through the one outbound policy; registrations are checked against it too.
 */
import { checkEndpointAllowed, createContextHandlerPool, createOutboundPolicy, createSafeFetcher, createUdfRegistry } from '@safax/udf-client';
import type { ContextHandlerPool, HostResolver, OutboundPolicy, SafeRequest, SafeResponse, UdfCallEvent, UdfRegistry } from '@safax/udf-client';
import { recordUdfCall } from './udf-call-log';

/** Why an endpoint may not be called, or that it may. */
export type EndpointVerdict = { readonly ok: true } | { readonly ok: false; readonly code: string; readonly reason: string };

export type EndpointChecker = (url: string) => Promise<EndpointVerdict>;

/** One HTTP exchange under the outbound policy (deadline, size bound, every redirect hop judged). */
export type OutboundFetch = (request: SafeRequest) => Promise<SafeResponse>;

export interface Outbound {
  readonly policy: OutboundPolicy;
  readonly udfRegistry: UdfRegistry;
  readonly contextHandlers: ContextHandlerPool;
  readonly checkEndpoint: EndpointChecker;
  readonly fetch: OutboundFetch;
  close(): void;
}

export interface OutboundOptions {
  readonly allow: readonly string[];
  /** Host name resolution (tests inject one); default the system resolver. */
  readonly resolveHost?: HostResolver;
  /** Also told of every UDF call (besides the per-evaluation record for the decision log). */
  readonly onUdfCall?: (event: UdfCallEvent) => void;
}

export function createOutbound(options: OutboundOptions): Outbound {
  const policy = createOutboundPolicy({ allow: options.allow, ...(options.resolveHost ? { resolve: options.resolveHost } : {}) });
  const onUdfCall = options.onUdfCall;
  const udfRegistry = createUdfRegistry({
    policy,
    onCall: (event) => {
      recordUdfCall(event);
      onUdfCall?.(event);
    },
  });
  const contextHandlers = createContextHandlerPool({ policy });
  // Descriptor fetches at registration time: rare, so no pooled connections.
  const fetcher = createSafeFetcher(policy, { keepAlive: false });
  return {
    policy,
    udfRegistry,
    contextHandlers,
    checkEndpoint: (url) => checkEndpointAllowed(url, policy),
    fetch: (request) => fetcher.fetch(request),
    close() {
      udfRegistry.close();
      contextHandlers.close();
      fetcher.close();
    },
  };
}
