/** The Context Handler client against a real handler on 127.0.0.1: wire format and failure modes. */
import type { ServerResponse } from 'node:http';
import { createContextHandlerClient, ContextHandlerError, type ContextHandlerClient } from '../src/context-handler-client';
import { createOutboundPolicy } from '../src/outbound-policy';
import { contextHandlerDescriptorProblems, createContextHandlerPool } from '../src/context-handler-pool';
import { json, reset, startTestServer, type TestServer } from './support/test-server';

const SUBJECT = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';
const RESOURCE = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
const XS = 'http://www.w3.org/2001/XMLSchema#';

let s: TestServer;
const clients: ContextHandlerClient[] = [];
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await s.close();
});
beforeEach(() => reset(s));

const policy = createOutboundPolicy({ allow: ['127.0.0.1'] });
const request = {
  values: (category: string, id: string): readonly string[] =>
    category === SUBJECT && id.endsWith('subject-id') ? ['alice'] : category === RESOURCE && id.endsWith('resource-id') ? ['doc-7'] : [],
};
const rolesQuery = { category: SUBJECT, attributeId: 'urn:example:role', datatype: `${XS}string`, issuer: 'dc1' };

function handler(timeoutMs = 1000, p = policy): ContextHandlerClient {
  const c = createContextHandlerClient({ id: 'dc1-ch', endpoint: `${s.url}/ch`, timeoutMs }, { policy: p, failureThreshold: 2, cooldownMs: 60_000 });
  clients.push(c);
  return c;
}

async function failure(p: Promise<unknown>): Promise<ContextHandlerError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ContextHandlerError);
  return e as ContextHandlerError;
}

it('POSTs the documented JSON and returns the lexical values', async () => {
  s.handler = (_req, _body, res) => json(res, { values: ['doctor', 'neurologist'] });
  expect(await handler().resolve(rolesQuery, request)).toEqual(['doctor', 'neurologist']);
  const sent = s.lastRequests[0]!;
  expect(sent.method).toBe('POST');
  expect(sent.url).toBe('/ch');
  expect(JSON.parse(sent.body)).toEqual({
    category: SUBJECT,
    attributeId: 'urn:example:role',
    datatype: `${XS}string`,
    issuer: 'dc1',
    subjectId: ['alice'],
    resourceId: ['doc-7'],
    actionId: [],
  });
});

it('an empty list means the handler has no value', async () => {
  s.handler = (_req, _body, res) => json(res, { values: [] });
  expect(await handler().resolve(rolesQuery, request)).toEqual([]);
});

it('checks values against the asked datatype', async () => {
  s.handler = (_req, _body, res) => json(res, { values: ['12', 'twelve'] });
  const e = await failure(handler().resolve({ ...rolesQuery, datatype: `${XS}integer` }, request));
  expect(e.reason).toBe('wrong-type');
  expect(e.message).toContain('context handler dc1-ch');
});

it.each([
  ['hangs', 'timeout', () => undefined],
  ['returns 500', 'http-status', (_r: unknown, _b: string, res: ServerResponse) => res.writeHead(500).end()],
  ['returns garbage', 'bad-response', (_r: unknown, _b: string, res: ServerResponse) => res.end('nope')],
  ['returns the wrong shape', 'bad-response', (_r: unknown, _b: string, res: ServerResponse) => json(res, { values: [1, 2] })],
  ['returns a huge body', 'too-large', (_r: unknown, _b: string, res: ServerResponse) => json(res, { values: ['x'.repeat(100_000)] })],
] as const)('a handler that %s fails with %s', async (_what, reason, h) => {
  s.handler = h;
  const e = await failure(handler(150).resolve(rolesQuery, request));
  expect(e.reason).toBe(reason);
});

it('refuses a handler endpoint the policy does not allow, without a request', async () => {
  const e = await failure(handler(1000, createOutboundPolicy()).resolve(rolesQuery, request));
  expect(e.reason).toBe('refused');
  expect(s.requests).toBe(0);
});

it('opens its breaker after repeated failures', async () => {
  s.handler = (_req, _body, res) => res.writeHead(502).end();
  const c = handler();
  await failure(c.resolve(rolesQuery, request));
  await failure(c.resolve(rolesQuery, request));
  expect((await failure(c.resolve(rolesQuery, request))).reason).toBe('circuit-open');
  expect(s.requests).toBe(2);
});

describe('pool (one client per registration)', () => {
  it('serves registered descriptors and remakes a client when the endpoint changes', async () => {
    const pool = createContextHandlerPool({ policy });
    s.handler = (req, _body, res) => json(res, { values: [req.url ?? ''] });
    const d = { id: 'dc1-ch', endpoint: `${s.url}/a`, timeoutMs: 500 };
    expect(await pool.resolve(d, rolesQuery, request)).toEqual(['/a']);
    expect(await pool.resolve({ ...d, endpoint: `${s.url}/b` }, rolesQuery, request)).toEqual(['/b']);
    pool.close();
  });

  it('says which descriptors can serve as a Context Handler', () => {
    expect(contextHandlerDescriptorProblems({ type: 'context-handler', method: 'POST', requestFormat: 'json', responseFormat: 'json' })).toEqual([]);
    expect(contextHandlerDescriptorProblems({ type: 'udf', method: 'GET', requestFormat: 'query', responseFormat: 'xml' })).toHaveLength(3);
  });
});
