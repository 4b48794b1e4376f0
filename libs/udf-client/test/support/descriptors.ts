/** Descriptors for tests, validated by the real Service Repository schema. */
import { serviceDescriptorSchema, type ServiceDescriptor, type ServiceDescriptorInput } from '@safax/contracts';

export const XS = 'http://www.w3.org/2001/XMLSchema#';

export function descriptor(overrides: Partial<ServiceDescriptorInput> & Pick<ServiceDescriptorInput, 'endpoint'>): ServiceDescriptor {
  return serviceDescriptorSchema.parse({
    id: 'test-service',
    provider: { id: 'test-provider' },
    method: 'POST',
    type: 'udf',
    functionUrn: 'urn:test:udf:fn',
    requestFormat: 'json',
    responseFormat: 'json',
    requestParameters: [{ name: 'user', datatype: `${XS}string` }],
    responseParameters: [{ name: 'result', datatype: `${XS}boolean`, location: { kind: 'json-pointer', pointer: '/result' } }],
    timeoutMs: 1000,
    ...overrides,
  });
}
