/** The Service Repository descriptor under which every domain's PDP is registered. */
import { serviceDescriptorSchema } from '@safax/contracts';
import type { ServiceDescriptor } from '@safax/contracts';

export function pdpServiceId(domainId: string): string {
  return `pdp-${domainId}`;
}

export function pdpServiceDescriptor(input: { domainId: string; domainName: string; ownerId: string; ownerName: string; pdpUrl: string }): ServiceDescriptor {
  return serviceDescriptorSchema.parse({
    id: pdpServiceId(input.domainId),
    provider: { id: input.ownerId, name: input.ownerName },
    description: `XACML PDP of domain "${input.domainName}" (XACML XML, XACML JSON Profile, AuthZEN 1.0 at ${input.pdpUrl}/access/v1/evaluation)`,
    endpoint: input.pdpUrl,
    method: 'POST',
    type: 'pdp',
    requestFormat: 'xml',
    responseFormat: 'xml',
    requestParameters: [],
    responseParameters: [
      {
        name: 'decision',
        datatype: 'http://www.w3.org/2001/XMLSchema#string',
        bag: true,
        location: { kind: 'xpath', expression: '/*[local-name()="Response"]/*[local-name()="Result"]/*[local-name()="Decision"]/text()' },
      },
    ],
  });
}
