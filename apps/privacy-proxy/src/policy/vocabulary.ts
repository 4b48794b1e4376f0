/**
 * The attribute vocabulary shared with the access-rights manager (see /README: "Decision
 * requests"). Changing an id here breaks every rule written for the proxy.
 */
export const CATEGORY = {
  accessSubject: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject',
  intermediarySubject: 'urn:oasis:names:tc:xacml:1.0:subject-category:intermediary-subject',
  resource: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
  action: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action',
  environment: 'urn:oasis:names:tc:xacml:3.0:attribute-category:environment',
} as const;

export const ATTRIBUTE = {
  subjectId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id',
  group: 'urn:safax:1.0:subject:group',
  role: 'urn:oasis:names:tc:xacml:2.0:subject:role',
  resourceId: 'urn:oasis:names:tc:xacml:1.0:resource:resource-id',
  resourceType: 'urn:safax:1.0:resource:type',
  column: 'urn:safax:1.0:resource:column',
  actionId: 'urn:oasis:names:tc:xacml:1.0:action:action-id',
  purpose: 'urn:safax:1.0:environment:purpose',
} as const;

export const RESOURCE_TYPE = { relation: 'dataset', function: 'function', schema: 'schema' } as const;

export const OBLIGATION = {
  mask: 'urn:safax:1.0:obligation:mask',
  pseudonymize: 'urn:safax:1.0:obligation:pseudonymize',
  generalize: 'urn:safax:1.0:obligation:generalize',
  suppress: 'urn:safax:1.0:obligation:suppress',
} as const;

export const OBLIGATION_PARAM = {
  column: 'urn:safax:1.0:obligation:column',
  maskKeep: 'urn:safax:1.0:obligation:mask:keep',
  pseudonymizeContext: 'urn:safax:1.0:obligation:pseudonymize:context',
  generalizeWidth: 'urn:safax:1.0:obligation:generalize:width',
  generalizeUnit: 'urn:safax:1.0:obligation:generalize:unit',
} as const;

export const PROTECTION_OBLIGATIONS: readonly string[] = Object.values(OBLIGATION);
