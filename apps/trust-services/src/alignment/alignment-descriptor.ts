/** How the policy-alignment service registers itself in the Service Repository. */
import type { ServiceDescriptorInput } from '@safax/contracts';
import type { DescriptorIdentity } from '../credential/credential-descriptor';

export const ALIGNMENT_FUNCTION_URN = 'urn:nl:tue:sec:pdp:1.0:udf:alignment:term:aligned';
const STRING = 'http://www.w3.org/2001/XMLSchema#string';

export function alignmentDescriptor(baseUrl: string, who: DescriptorIdentity = {}): ServiceDescriptorInput {
  return {
    id: who.id ?? 'alignment-service',
    provider: { id: who.providerId ?? 'safax-trust-services', name: 'SAFAX example trust services' },
    description: 'aligned(term, vocabulary): the terms of the target vocabulary that the term is equivalent to or a kind of.',
    endpoint: `${baseUrl.replace(/\/$/, '')}/aligned`,
    method: 'POST',
    type: 'udf',
    functionUrn: ALIGNMENT_FUNCTION_URN,
    requestFormat: 'xml',
    responseFormat: 'xml',
    requestParameters: [
      { name: 'term', datatype: STRING, description: 'a term as one domains controller names it' },
      { name: 'vocabulary', datatype: STRING, description: 'the vocabulary to translate into' },
    ],
    responseParameters: [{ name: 'aligned', datatype: STRING, bag: true, location: { kind: 'xpath', expression: '/aligned/term' } }],
    cacheTtlSeconds: 300,
    timeoutMs: 2000,
  };
}
