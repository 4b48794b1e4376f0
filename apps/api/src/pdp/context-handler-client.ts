/**
 * Port to a domains controller's Context Handler: asked for attributes neither the request nor
 * the sample PIP has. The platform plugs in @safax/udf-client's Context Handler pool (HTTP,
 * configured from the registered descriptor, under the outbound policy); the no-op client
 * answers "no values", which the engine treats like an absent attribute.
 */
import type { AttributeQuery, ResolverRequestView } from '@safax/xacml';
import type { ServiceDescriptor } from '@safax/contracts';

export interface ContextHandlerClient {
  /** Lexical values of `query.datatype`; [] when the handler has none. Rejects on failure. */
  resolve(handler: ServiceDescriptor, query: AttributeQuery, request: ResolverRequestView): Promise<readonly string[]>;
}

export const noopContextHandlerClient: ContextHandlerClient = {
  resolve: async () => [],
};
