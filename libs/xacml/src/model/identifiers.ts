/** Standard XACML identifiers the engine refers to by name: datatypes, categories, status codes. */

export const XS = 'http://www.w3.org/2001/XMLSchema#';

export const DT = {
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
  xpathExpression: 'urn:oasis:names:tc:xacml:3.0:data-type:xpathExpression',
} as const;

/** XACML 1.0/2.0 datatype identifiers that 3.0 renamed; accepted on input, mapped to the 3.0 id. */
export const LEGACY_DATATYPE_ALIASES: Readonly<Record<string, string>> = {
  'http://www.w3.org/TR/2002/WD-xquery-operators-20020816#dayTimeDuration': DT.dayTimeDuration,
  'http://www.w3.org/TR/2002/WD-xquery-operators-20020816#yearMonthDuration': DT.yearMonthDuration,
};

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

export const ATTR = {
  currentTime: 'urn:oasis:names:tc:xacml:1.0:environment:current-time',
  currentDate: 'urn:oasis:names:tc:xacml:1.0:environment:current-date',
  currentDateTime: 'urn:oasis:names:tc:xacml:1.0:environment:current-dateTime',
  subjectId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id',
  resourceId: 'urn:oasis:names:tc:xacml:1.0:resource:resource-id',
  actionId: 'urn:oasis:names:tc:xacml:1.0:action:action-id',
  contentSelector: 'urn:oasis:names:tc:xacml:3.0:content-selector',
  multipleContentSelector: 'urn:oasis:names:tc:xacml:3.0:profile:multiple:content-selector',
} as const;

export const STATUS = {
  ok: 'urn:oasis:names:tc:xacml:1.0:status:ok',
  missingAttribute: 'urn:oasis:names:tc:xacml:1.0:status:missing-attribute',
  syntaxError: 'urn:oasis:names:tc:xacml:1.0:status:syntax-error',
  processingError: 'urn:oasis:names:tc:xacml:1.0:status:processing-error',
} as const;

export const XACML3_NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
export const XACML2_NS = 'urn:oasis:names:tc:xacml:2.0:policy:schema:os';
export const XACML2_CONTEXT_NS = 'urn:oasis:names:tc:xacml:2.0:context:schema:os';
export const XPATH_1_0 = 'http://www.w3.org/TR/1999/REC-xpath-19991116';
