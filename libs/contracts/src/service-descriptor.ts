/**
 * Service Repository descriptor (SAFAX "Register Service"): everything a client needs to call a
 * registered service without code of its own — where it is, how to encode the request, and
 * where each result value is found in the response. Used by the api (registration), the UDF
 * client (self-configuration), the web GUI and the CLI.
 *
 * Conventions a client relies on:
 * - `requestParameters` are in argument order: for a `udf`, the i-th argument of the XACML
 *   function call fills the i-th parameter.
 * - `requestFormat` says how the parameters travel: `json` = a JSON object body keyed by
 *   parameter name (a bag is an array); `xml` = `<request><name>value</name>...</request>`
 *   (a bag repeats the element); `query` = URL query string (a bag repeats the key); `form` =
 *   `application/x-www-form-urlencoded` body (a bag repeats the key).
 * - each response parameter says where its value is: a JSON pointer (json), an XPath
 *   expression (xml), a field name (query/form-encoded body), or the whole body.
 * - for a `udf`, the first response parameter is the function's result.
 */
import { z } from 'zod';

export const SERVICE_TYPES = ['pdp', 'pap', 'udf', 'context-handler', 'other'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

export const MESSAGE_FORMATS = ['json', 'xml', 'query', 'form'] as const;
export type MessageFormat = (typeof MESSAGE_FORMATS)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

const XS = 'http://www.w3.org/2001/XMLSchema#';

/** The XACML 3.0 standard datatype identifiers (Appendix A.2); parameters must use one of them. */
export const XACML_DATATYPES = [
  `${XS}string`,
  `${XS}boolean`,
  `${XS}integer`,
  `${XS}double`,
  `${XS}time`,
  `${XS}date`,
  `${XS}dateTime`,
  `${XS}anyURI`,
  `${XS}hexBinary`,
  `${XS}base64Binary`,
  `${XS}dayTimeDuration`,
  `${XS}yearMonthDuration`,
  'urn:oasis:names:tc:xacml:1.0:data-type:x500Name',
  'urn:oasis:names:tc:xacml:1.0:data-type:rfc822Name',
  'urn:oasis:names:tc:xacml:2.0:data-type:ipAddress',
  'urn:oasis:names:tc:xacml:2.0:data-type:dnsName',
  'urn:oasis:names:tc:xacml:3.0:data-type:xpathExpression',
] as const;
export type XacmlDatatypeId = (typeof XACML_DATATYPES)[number];

/** Service ids appear in URL paths: no slash, no spaces. URNs (`urn:a:b`) are fine. */
export const SERVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:~-]{0,199}$/;

const parameterName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'a parameter name starts with a letter or _ and holds letters, digits, _ . -');

export const datatypeIdSchema = z.enum(XACML_DATATYPES);

export const requestParameterSchema = z.strictObject({
  name: parameterName,
  datatype: datatypeIdSchema,
  /** true: the parameter carries a bag (several values); false: exactly one value. */
  bag: z.boolean().default(false),
  description: z.string().max(500).optional(),
});
export type RequestParameter = z.infer<typeof requestParameterSchema>;

/** Where a response value is found. */
export const responseLocationSchema = z.discriminatedUnion('kind', [
  /** RFC 6901 JSON pointer into a JSON body; '' is the whole document. */
  z.strictObject({ kind: z.literal('json-pointer'), pointer: z.string().max(500).regex(/^(\/.*)?$/, 'a JSON pointer is empty or starts with /') }),
  /** XPath 1.0 expression evaluated on an XML body. */
  z.strictObject({ kind: z.literal('xpath'), expression: z.string().min(1).max(500) }),
  /** A key of a query-string or form-encoded body. */
  z.strictObject({ kind: z.literal('field'), name: z.string().min(1).max(100) }),
  /** The whole body, as text. */
  z.strictObject({ kind: z.literal('body') }),
]);
export type ResponseLocation = z.infer<typeof responseLocationSchema>;

export const responseParameterSchema = z.strictObject({
  name: parameterName,
  datatype: datatypeIdSchema,
  bag: z.boolean().default(false),
  location: responseLocationSchema,
  description: z.string().max(500).optional(),
});
export type ResponseParameter = z.infer<typeof responseParameterSchema>;

export const serviceProviderSchema = z.strictObject({
  /** Stable identity of the organisation or principal offering the service. */
  id: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
  contact: z.string().max(200).optional(),
});
export type ServiceProvider = z.infer<typeof serviceProviderSchema>;

const LOCATION_FOR_FORMAT: Record<MessageFormat, ResponseLocation['kind'][]> = {
  json: ['json-pointer', 'body'],
  xml: ['xpath', 'body'],
  query: ['field', 'body'],
  form: ['field', 'body'],
};

const descriptorFields = z.strictObject({
  id: z.string().regex(SERVICE_ID_PATTERN, 'a service id is 1-200 characters of letters, digits and . _ : ~ - (no slash)'),
  provider: serviceProviderSchema,
  description: z.string().max(2000).default(''),
  /** Absolute http(s) URL of the operation. */
  endpoint: z.url({ protocol: /^https?$/, error: 'the endpoint is an absolute http or https URL' }).max(2000),
  method: z.enum(HTTP_METHODS),
  type: z.enum(SERVICE_TYPES),
  /** For a `udf`: the XACML function identifier policies call (e.g. urn:nl:tue:sec:pdp:1.0:udf:...). */
  functionUrn: z.string().min(1).max(500).optional(),
  requestFormat: z.enum(MESSAGE_FORMATS),
  responseFormat: z.enum(MESSAGE_FORMATS),
  requestParameters: z.array(requestParameterSchema).max(50).default([]),
  responseParameters: z.array(responseParameterSchema).max(50).default([]),
  /** How long a client may reuse a result for the same arguments; 0 = never. */
  cacheTtlSeconds: z.number().int().min(0).max(86_400).default(0),
  /** How long a client waits for the service before giving up. */
  timeoutMs: z.number().int().min(1).max(60_000).default(5_000),
});

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n) ? dup : seen).add(n);
  return [...dup];
}

/** The full descriptor with its cross-field rules. */
export const serviceDescriptorSchema = descriptorFields.superRefine((d, ctx) => {
  if (d.type === 'udf') {
    if (d.functionUrn === undefined) ctx.addIssue({ code: 'custom', path: ['functionUrn'], message: 'a udf service names the function URN it implements' });
    if (d.responseParameters.length === 0) ctx.addIssue({ code: 'custom', path: ['responseParameters'], message: 'a udf service declares at least one response parameter (its result)' });
  } else if (d.functionUrn !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['functionUrn'], message: 'only a udf service has a function URN' });
  }
  if ((d.method === 'GET' || d.method === 'DELETE') && (d.requestFormat === 'json' || d.requestFormat === 'xml' || d.requestFormat === 'form') && d.requestParameters.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['requestFormat'], message: `a ${d.method} request carries no body: use the query format` });
  }
  for (const name of duplicates(d.requestParameters.map((p) => p.name))) {
    ctx.addIssue({ code: 'custom', path: ['requestParameters'], message: `duplicate request parameter "${name}"` });
  }
  for (const name of duplicates(d.responseParameters.map((p) => p.name))) {
    ctx.addIssue({ code: 'custom', path: ['responseParameters'], message: `duplicate response parameter "${name}"` });
  }
  const allowed = LOCATION_FOR_FORMAT[d.responseFormat];
  d.responseParameters.forEach((p, i) => {
    if (!allowed.includes(p.location.kind)) {
      ctx.addIssue({
        code: 'custom',
        path: ['responseParameters', i, 'location'],
        message: `a ${d.responseFormat} response is read with ${allowed.join(' or ')}, not ${p.location.kind}`,
      });
    }
  });
});

/** A descriptor after validation and defaults. */
export type ServiceDescriptor = z.infer<typeof serviceDescriptorSchema>;
/** What a caller may send (defaults may be omitted). */
export type ServiceDescriptorInput = z.input<typeof serviceDescriptorSchema>;

/** A descriptor as the Service Repository returns it. */
export const serviceRecordSchema = z.strictObject({
  descriptor: serviceDescriptorSchema,
  enabled: z.boolean(),
  /** Principal that registered the service; system-registered PDPs carry the domain owner. */
  registeredBy: z.string(),
  /** The registering principal's name (null once it is deleted). */
  registeredByName: z.string().nullable().optional(),
  /** For a PDP entry: its domain. */
  domainId: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ServiceRecord = z.infer<typeof serviceRecordSchema>;

/** Discovery filters (`GET /api/v1/services?...`). */
export const serviceQuerySchema = z.strictObject({
  type: z.enum(SERVICE_TYPES).optional(),
  functionUrn: z.string().min(1).max(500).optional(),
  providerId: z.string().min(1).max(200).optional(),
  enabled: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Case-insensitive substring of id or description. */
  q: z.string().min(1).max(200).optional(),
});
export type ServiceQuery = z.infer<typeof serviceQuerySchema>;

/** Validates unknown input; returns the descriptor or the zod issues. */
export function parseServiceDescriptor(input: unknown): z.ZodSafeParseResult<ServiceDescriptor> {
  return serviceDescriptorSchema.safeParse(input);
}
