/** Public API of @safax/udf-client: trust-service UDFs, Context Handler calls, outbound safety. */
export { createUdfClient, udfDescriptorProblems, argumentsKey, lexicalArguments, typedResult, lexicalOf } from './udf-client';
export type { UdfClient, UdfClientOptions, UdfClientStats, UdfCallEvent, UdfServiceDescriptor } from './udf-client';
export { createUdfFunction, checkUdfCall } from './udf-function';
export type { UdfFunctionDef, UdfFunctionDeps } from './udf-function';
export { createUdfRegistry, descriptorKey } from './udf-registry';
export type { UdfBreakerState, UdfRegistry, UdfRegistryOptions } from './udf-registry';
export { UdfCallError, UdfDescriptorError } from './errors';
export type { UdfErrorCode } from './errors';
export { createContextHandlerClient, contextHandlerRequest, ContextHandlerError } from './context-handler-client';
export { createContextHandlerPool, contextHandlerDescriptorProblems } from './context-handler-pool';
export type { ContextHandlerPool } from './context-handler-pool';
export type {
  ContextHandlerClient,
  ContextHandlerClientOptions,
  ContextHandlerRegistration,
  ContextHandlerRequest,
  ContextHandlerCallEvent,
  ContextHandlerErrorCode,
} from './context-handler-client';
export {
  createOutboundPolicy,
  checkEndpointAllowed,
  checkAddress,
  parseHostList,
  OutboundPolicyConfigError,
} from './outbound-policy';
export type { OutboundPolicy, OutboundPolicyConfig, EndpointCheck, EndpointRefusalCode, HostResolver, ResolvedAddress, AddressVerdict } from './outbound-policy';
export { createSafeFetcher, safeFetch, OutboundError } from './safe-fetch';
export type { SafeFetcher, SafeFetcherOptions, SafeRequest, SafeResponse, OutboundErrorCode } from './safe-fetch';
export { encodeRequest } from './request-encoding';
export type { EncodedRequest } from './request-encoding';
export { CircuitBreaker } from './circuit-breaker';
export type { BreakerState, CircuitBreakerOptions } from './circuit-breaker';
