/** How the reputation service registers itself in the Service Repository. */
import type { ServiceDescriptorInput } from '@safax/contracts';
import type { DescriptorIdentity } from '../credential/credential-descriptor';

export const REPUTATION_FUNCTION_URN = 'urn:nl:tue:sec:pdp:1.0:udf:reputation:user:reputation';

export function reputationDescriptor(baseUrl: string, who: DescriptorIdentity = {}): ServiceDescriptorInput {
  return {
    id: who.id ?? 'reputation-service',
    provider: { id: who.providerId ?? 'safax-trust-services', name: 'SAFAX example trust services' },
    description: 'reputation(user): absolute reputation in [0,1], a trust-weighted average of the ratings the user received (EigenTrust-style trust flow).',
    endpoint: `${baseUrl.replace(/\/$/, '')}/reputation`,
    method: 'POST',
    type: 'udf',
    functionUrn: REPUTATION_FUNCTION_URN,
    requestFormat: 'json',
    responseFormat: 'json',
    requestParameters: [{ name: 'user', datatype: 'http://www.w3.org/2001/XMLSchema#string', description: 'the user (subject id)' }],
    responseParameters: [{ name: 'reputation', datatype: 'http://www.w3.org/2001/XMLSchema#double', location: { kind: 'json-pointer', pointer: '/reputation' } }],
    cacheTtlSeconds: 60,
    timeoutMs: 2000,
  };
}
