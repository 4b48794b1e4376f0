/**
 * The UDFs of an installation, as a FunctionProvider for the engine's compiler. The platform
 * registers every enabled `udf` service here and hands the registry to each PDP it compiles;
 * on re-registration it calls `register` again (a fresh client: new settings, empty cache,
 * closed breaker) and re-initialises the PDPs that use the function. All clients share one
 * connection pool that obeys one outbound policy.
 */
import type { FunctionProvider } from './engine';
import { createOutboundPolicy, type OutboundPolicy } from './outbound-policy';
import { createSafeFetcher, type SafeFetcher } from './safe-fetch';
import type { UdfClientOptions, UdfServiceDescriptor } from './udf-client';
import { createUdfFunction, type UdfFunctionDef } from './udf-function';

export type UdfRegistryOptions = Omit<UdfClientOptions, 'fetcher'> & { readonly policy?: OutboundPolicy };

export interface UdfRegistry extends FunctionProvider {
  /** Adds or replaces the function of a udf service. Throws UdfDescriptorError when unusable. */
  register(descriptor: UdfServiceDescriptor): UdfFunctionDef;
  /** Removes the function a service provided; returns its URN, or undefined if it had none. */
  unregister(serviceId: string): string | undefined;
  find(functionUrn: string): UdfFunctionDef | undefined;
  /** The URN the service with this id provides, if registered. */
  functionOf(serviceId: string): string | undefined;
  functionUrns(): readonly string[];
  readonly fetcher: SafeFetcher;
  close(): void;
}

export function createUdfRegistry(options: UdfRegistryOptions = {}): UdfRegistry {
  const policy = options.policy ?? createOutboundPolicy();
  const fetcher = createSafeFetcher(policy);
  const byUrn = new Map<string, UdfFunctionDef>();
  const urnOfService = new Map<string, string>();

  const unregister = (serviceId: string): string | undefined => {
    const urn = urnOfService.get(serviceId);
    if (urn === undefined) return undefined;
    urnOfService.delete(serviceId);
    if (byUrn.get(urn)?.serviceId === serviceId) byUrn.delete(urn);
    return urn;
  };

  return {
    fetcher,
    register(descriptor) {
      const fn = createUdfFunction(descriptor, { clientOptions: { ...options, fetcher } });
      unregister(descriptor.id);
      const previous = byUrn.get(fn.id);
      if (previous !== undefined) urnOfService.delete(previous.serviceId);
      byUrn.set(fn.id, fn);
      urnOfService.set(descriptor.id, fn.id);
      return fn;
    },
    unregister,
    find: (functionUrn) => byUrn.get(functionUrn),
    functionOf: (serviceId) => urnOfService.get(serviceId),
    functionUrns: () => [...byUrn.keys()],
    close: () => fetcher.close(),
  };
}
