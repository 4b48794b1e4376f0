/**
 * The UDFs of an installation, as a FunctionProvider for the engine's compiler. The platform
 * registers every enabled `udf` service here and hands each PDP it compiles a provider that
 * resolves function URNs to services. All clients share one connection pool that obeys one
 * outbound policy.
 *
 * A service's function keeps its client (result cache, circuit breaker, concurrency slots)
 * for as long as its descriptor stays the same: registering an unchanged descriptor again is
 * a no-op, so a re-sync after some unrelated change costs nothing and forgets nothing. A
 * changed descriptor gets a fresh client.
 *
 * Several services may name the same URN. `find` answers with the one registered first that
 * is still registered (a later registration never displaces it); `serviceFunction` reaches a
 * particular service, for callers that resolve URNs themselves (per-domain pins).
 */
import type { BreakerState } from './circuit-breaker';
import type { FunctionProvider } from './engine';
import { createOutboundPolicy, type OutboundPolicy } from './outbound-policy';
import { createSafeFetcher, type SafeFetcher } from './safe-fetch';
import type { UdfClientOptions, UdfServiceDescriptor } from './udf-client';
import { createUdfFunction, type UdfFunctionDef } from './udf-function';

export type UdfRegistryOptions = Omit<UdfClientOptions, 'fetcher'> & { readonly policy?: OutboundPolicy };

/** The circuit breaker of one registered service's client. */
export interface UdfBreakerState {
  readonly serviceId: string;
  readonly functionUrn: string;
  readonly state: BreakerState;
}

export interface UdfRegistry extends FunctionProvider {
  /**
   * Adds or replaces the function of a udf service (unchanged descriptor: the existing function,
   * its cache and breaker kept). Throws UdfDescriptorError when unusable.
   */
  register(descriptor: UdfServiceDescriptor): UdfFunctionDef;
  /** Removes the function a service provided; returns its URN, or undefined if it had none. */
  unregister(serviceId: string): string | undefined;
  /** The function of the earliest registered service still providing this URN. */
  find(functionUrn: string): UdfFunctionDef | undefined;
  /** The function of one service, if registered. */
  serviceFunction(serviceId: string): UdfFunctionDef | undefined;
  /** The URN the service with this id provides, if registered. */
  functionOf(serviceId: string): string | undefined;
  functionUrns(): readonly string[];
  /** Breaker state of every registered service (observability: metrics). */
  breakerStates(): readonly UdfBreakerState[];
  readonly fetcher: SafeFetcher;
  close(): void;
}

/** Key order of a descriptor does not make it a different descriptor. */
export function descriptorKey(d: UdfServiceDescriptor): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(canonical(d));
}

interface Registered {
  readonly fn: UdfFunctionDef;
  readonly key: string;
}

export function createUdfRegistry(options: UdfRegistryOptions = {}): UdfRegistry {
  const policy = options.policy ?? createOutboundPolicy();
  const fetcher = createSafeFetcher(policy);
  // Insertion order is registration order: `find` takes the first match.
  const byService = new Map<string, Registered>();

  const unregister = (serviceId: string): string | undefined => {
    const r = byService.get(serviceId);
    if (r === undefined) return undefined;
    byService.delete(serviceId);
    return r.fn.id;
  };

  return {
    fetcher,
    register(descriptor) {
      const key = descriptorKey(descriptor);
      const current = byService.get(descriptor.id);
      if (current?.key === key) return current.fn;
      const fn = createUdfFunction(descriptor, { clientOptions: { ...options, fetcher } });
      // Replacing in place keeps the service's place in the registration order.
      byService.set(descriptor.id, { fn, key });
      return fn;
    },
    unregister,
    find(functionUrn) {
      for (const r of byService.values()) if (r.fn.id === functionUrn) return r.fn;
      return undefined;
    },
    serviceFunction: (serviceId) => byService.get(serviceId)?.fn,
    functionOf: (serviceId) => byService.get(serviceId)?.fn.id,
    functionUrns: () => [...new Set([...byService.values()].map((r) => r.fn.id))],
    breakerStates: () => [...byService].map(([serviceId, r]) => ({ serviceId, functionUrn: r.fn.id, state: r.fn.client.stats().breaker })),
    close: () => fetcher.close(),
  };
}
