/**
 * Shared by the trust-service suites: XACML JSON requests with the attributes the sample
 * policies read, one decision with its status and timing, the sample policies, and tiny HTTP
 * servers on 127.0.0.1 standing in for misbehaving services and Context Handlers.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestPlatform } from '../support/test-platform';

export const SAMPLES = join(__dirname, '..', '..', '..', '..', 'policies', 'samples');
export const sample = (f: string) => ({ name: f, text: readFileSync(join(SAMPLES, f), 'utf8') });
export const PERMIT_OVERRIDES = 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:permit-overrides';
export const PROCESSING_ERROR = 'urn:oasis:names:tc:xacml:1.0:status:processing-error';
export const XS = 'http://www.w3.org/2001/XMLSchema#';
export const ROLE = 'urn:safax:sample:subject:role';

export interface RequestFacts {
  readonly subject: string;
  readonly action: string;
  readonly resource?: string;
  /** xs:time, e.g. 10:00:00 (the PEP supplies the current time). */
  readonly time?: string;
  readonly role?: string;
}

/** An XACML JSON Profile request. */
export function xacmlJson(f: RequestFacts): string {
  const attr = (id: string, value: string, type = 'string') => ({ AttributeId: id, Value: value, DataType: `${XS}${type}` });
  return JSON.stringify({
    Request: {
      AccessSubject: { Attribute: [attr('urn:oasis:names:tc:xacml:1.0:subject:subject-id', f.subject), ...(f.role ? [attr(ROLE, f.role)] : [])] },
      Action: { Attribute: [attr('urn:oasis:names:tc:xacml:1.0:action:action-id', f.action)] },
      ...(f.resource ? { Resource: { Attribute: [attr('urn:oasis:names:tc:xacml:1.0:resource:resource-id', f.resource)] } } : {}),
      ...(f.time ? { Environment: { Attribute: [attr('urn:oasis:names:tc:xacml:1.0:environment:current-time', f.time, 'time')] } } : {}),
    },
  });
}

export interface Answer {
  readonly decision: string;
  readonly statusCode: string | undefined;
  readonly statusMessage: string | undefined;
  readonly txId: string;
  readonly ms: number;
}

interface JsonResult {
  Decision: string;
  Status?: { StatusCode?: { Value?: string }; StatusMessage?: string };
}

/** One decision through a PDP-URL (XACML JSON), with how long the HTTP exchange took. */
export async function ask(t: TestPlatform, key: string, pdpId: string, facts: RequestFacts): Promise<Answer> {
  const started = Date.now();
  const r = await t.as(key).post(`/pdp/${pdpId}`).set('Content-Type', 'application/xacml+json').send(xacmlJson(facts)).expect(200);
  const body = JSON.parse(r.text) as { Response: JsonResult[] | JsonResult };
  const first = Array.isArray(body.Response) ? body.Response[0] : body.Response;
  if (!first) throw new Error(`no result in ${r.text}`);
  return { decision: first.Decision, statusCode: first.Status?.StatusCode?.Value, statusMessage: first.Status?.StatusMessage, txId: r.headers['x-transaction-id'] as string, ms: Date.now() - started };
}

export interface Stub {
  readonly url: string;
  readonly requests: { method: string; url: string; body: string }[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 answering with `handler` (after reading the body). */
export async function startStub(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void, host = '127.0.0.1'): Promise<Stub> {
  const requests: Stub['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A UDF service descriptor for `urn(user: string) → boolean`, the answer read from `/result` of JSON. */
export function userCheckUdf(id: string, functionUrn: string, endpoint: string, extra: { readonly timeoutMs?: number; readonly cacheTtlSeconds?: number } = {}) {
  return {
    id,
    provider: { id: 'tsp' },
    endpoint,
    method: 'POST',
    type: 'udf',
    functionUrn,
    requestFormat: 'json',
    responseFormat: 'json',
    requestParameters: [{ name: 'user', datatype: `${XS}string` }],
    responseParameters: [{ name: 'result', datatype: `${XS}boolean`, location: { kind: 'json-pointer', pointer: '/result' } }],
    ...extra,
  };
}

/** A policy whose one rule permits when `urn(subject-id)` is true. */
export function policyCallingUdf(urn: string, policyId = `calls-${urn}`): string {
  return `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="${policyId}" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">
  <Target/>
  <Rule RuleId="trusted" Effect="Permit">
    <Condition><Apply FunctionId="${urn}"><Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-one-and-only">
      <AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" AttributeId="urn:oasis:names:tc:xacml:1.0:subject:subject-id" DataType="${XS}string" MustBePresent="true"/>
    </Apply></Apply></Condition>
  </Rule>
</Policy>`;
}
