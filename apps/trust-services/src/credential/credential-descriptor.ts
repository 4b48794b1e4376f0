/** How the credential service registers itself in the Service Repository. */
import type { ServiceDescriptorInput } from '@safax/contracts';

export const CREDENTIAL_FUNCTION_URN = 'urn:nl:tue:sec:pdp:1.0:udf:credential:user:has:credential';
const STRING = 'http://www.w3.org/2001/XMLSchema#string';

export interface DescriptorIdentity {
  /** Service id in the repository (default per service). */
  readonly id?: string;
  readonly providerId?: string;
}

export function credentialDescriptor(baseUrl: string, who: DescriptorIdentity = {}): ServiceDescriptorInput {
  return {
    id: who.id ?? 'credential-service',
    provider: { id: who.providerId ?? 'safax-trust-services', name: 'SAFAX example trust services' },
    description: 'has:credential(user, credential, issuer): does the user hold the credential from the issuer, or from an issuer it accepts (delegation chains)?',
    endpoint: `${baseUrl.replace(/\/$/, '')}/has-credential`,
    method: 'GET',
    type: 'udf',
    functionUrn: CREDENTIAL_FUNCTION_URN,
    requestFormat: 'query',
    responseFormat: 'json',
    requestParameters: [
      { name: 'user', datatype: STRING, description: 'the user (subject id)' },
      { name: 'credential', datatype: STRING, description: 'credential name, e.g. neurologist' },
      { name: 'issuer', datatype: STRING, description: 'the issuer whose view is asked, e.g. mayo-clinic' },
    ],
    responseParameters: [{ name: 'result', datatype: 'http://www.w3.org/2001/XMLSchema#boolean', location: { kind: 'json-pointer', pointer: '/result' } }],
    cacheTtlSeconds: 30,
    timeoutMs: 2000,
  };
}
