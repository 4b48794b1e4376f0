/**
 * Standard XACML identifiers a PEP names in requests, and the `urn:safax:1.0:authzen:*`
 * prefixes the platform uses when it maps AuthZEN to XACML (apps/api pdp/authzen-mapping.ts).
 */

const XS = 'http://www.w3.org/2001/XMLSchema#';

/** Attribute categories (XACML 3.0 core §B.2). */
export const CATEGORY = {
  accessSubject: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject',
  recipientSubject: 'urn:oasis:names:tc:xacml:1.0:subject-category:recipient-subject',
  intermediarySubject: 'urn:oasis:names:tc:xacml:1.0:subject-category:intermediary-subject',
  codebase: 'urn:oasis:names:tc:xacml:1.0:subject-category:codebase',
  requestingMachine: 'urn:oasis:names:tc:xacml:1.0:subject-category:requesting-machine',
  resource: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
  action: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action',
  environment: 'urn:oasis:names:tc:xacml:3.0:attribute-category:environment',
} as const;

/** Attribute identifiers (XACML 3.0 core §B.4–B.8). */
export const ATTRIBUTE = {
  subjectId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id',
  subjectIdQualifier: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id-qualifier',
  keyInfo: 'urn:oasis:names:tc:xacml:1.0:subject:key-info',
  authenticationTime: 'urn:oasis:names:tc:xacml:1.0:subject:authentication-time',
  authenticationMethod: 'urn:oasis:names:tc:xacml:1.0:subject:authn-locality:authentication-method',
  requestTime: 'urn:oasis:names:tc:xacml:1.0:subject:request-time',
  sessionStartTime: 'urn:oasis:names:tc:xacml:1.0:subject:session-start-time',
  authnIpAddress: 'urn:oasis:names:tc:xacml:3.0:subject:authn-locality:ip-address',
  authnDnsName: 'urn:oasis:names:tc:xacml:1.0:subject:authn-locality:dns-name',
  role: 'urn:oasis:names:tc:xacml:2.0:subject:role',
  resourceId: 'urn:oasis:names:tc:xacml:1.0:resource:resource-id',
  resourceLocation: 'urn:oasis:names:tc:xacml:1.0:resource:resource-location',
  simpleFileName: 'urn:oasis:names:tc:xacml:1.0:resource:simple-file-name',
  targetNamespace: 'urn:oasis:names:tc:xacml:2.0:resource:target-namespace',
  actionId: 'urn:oasis:names:tc:xacml:1.0:action:action-id',
  impliedAction: 'urn:oasis:names:tc:xacml:1.0:action:implied-action',
  actionNamespace: 'urn:oasis:names:tc:xacml:1.0:action:action-namespace',
  currentTime: 'urn:oasis:names:tc:xacml:1.0:environment:current-time',
  currentDate: 'urn:oasis:names:tc:xacml:1.0:environment:current-date',
  currentDateTime: 'urn:oasis:names:tc:xacml:1.0:environment:current-dateTime',
} as const;

/** Datatypes (XACML 3.0 core §B.3). */
export const DATATYPE = {
  string: `${XS}string`,
  boolean: `${XS}boolean`,
  integer: `${XS}integer`,
  double: `${XS}double`,
  time: `${XS}time`,
  date: `${XS}date`,
  dateTime: `${XS}dateTime`,
  anyURI: `${XS}anyURI`,
  hexBinary: `${XS}hexBinary`,
  base64Binary: `${XS}base64Binary`,
  dayTimeDuration: `${XS}dayTimeDuration`,
  yearMonthDuration: `${XS}yearMonthDuration`,
  x500Name: 'urn:oasis:names:tc:xacml:1.0:data-type:x500Name',
  rfc822Name: 'urn:oasis:names:tc:xacml:1.0:data-type:rfc822Name',
  ipAddress: 'urn:oasis:names:tc:xacml:2.0:data-type:ipAddress',
  dnsName: 'urn:oasis:names:tc:xacml:2.0:data-type:dnsName',
} as const;

/** XACML status codes (core §B.8). */
export const STATUS = {
  ok: 'urn:oasis:names:tc:xacml:1.0:status:ok',
  missingAttribute: 'urn:oasis:names:tc:xacml:1.0:status:missing-attribute',
  syntaxError: 'urn:oasis:names:tc:xacml:1.0:status:syntax-error',
  processingError: 'urn:oasis:names:tc:xacml:1.0:status:processing-error',
} as const;

/**
 * Where the platform puts AuthZEN members that have no standard XACML attribute: a property
 * `P` without ":" of the subject becomes `${AUTHZEN_PREFIX.subject}P`, and so on. `type` of
 * subject and resource are `${prefix}type`.
 */
export const AUTHZEN_PREFIX = {
  subject: 'urn:safax:1.0:authzen:subject:',
  action: 'urn:safax:1.0:authzen:action:',
  resource: 'urn:safax:1.0:authzen:resource:',
  context: 'urn:safax:1.0:authzen:context:',
} as const;

export const XACML3_NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
