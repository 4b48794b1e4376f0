/**
 * The PDP-URL's decision lane (routes/pdp-decision-lane.ts): which requests it takes, and that
 * for those it answers exactly as the express route does. The same call is sent twice: as is
 * (the lane) and with a query string (which the lane leaves to express). Express sets an ETag
 * on what it sends and the lane does not, which shows who answered.
 */
import type { IncomingMessage } from 'node:http';
import type { Response, Test } from 'supertest';
import { laneCall } from '../src/routes/pdp-decision-lane';
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { actionRequestJson, decisionOf, permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { createUser, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

const head = (method: string, url: string, headers: Record<string, string>) => ({ method, url, headers }) as unknown as IncomingMessage;
const LIMIT = 1000;

describe('which requests the decision lane takes (on their head alone)', () => {
  const json = { 'content-type': 'application/xacml+json', 'content-length': '10' };

  it('takes plain XACML and AuthZEN evaluation calls', () => {
    expect(laneCall(head('POST', '/pdp/abc-DEF_123', json), LIMIT)).toEqual({ pdpId: 'abc-DEF_123', kind: 'xacml', format: 'json' });
    expect(laneCall(head('POST', '/pdp/x', { ...json, 'content-type': 'application/json; charset=UTF-8' }), LIMIT)).toEqual({ pdpId: 'x', kind: 'xacml', format: 'json' });
    expect(laneCall(head('POST', '/pdp/x', { ...json, 'content-type': 'Text/XML;charset="utf-8"' }), LIMIT)).toEqual({ pdpId: 'x', kind: 'xacml', format: 'xml' });
    expect(laneCall(head('POST', '/pdp/x', { ...json, 'content-type': 'application/xacml+xml' }), LIMIT)).toEqual({ pdpId: 'x', kind: 'xacml', format: 'xml' });
    expect(laneCall(head('POST', '/pdp/x/access/v1/evaluation', { ...json, 'content-type': 'application/json' }), LIMIT)).toEqual({ pdpId: 'x', kind: 'authzen' });
    expect(laneCall(head('POST', '/pdp/x', { ...json, 'content-length': String(LIMIT) }), LIMIT)).toBeDefined();
  });

  it('leaves everything unusual to express', () => {
    const cases: [string, string, Record<string, string>][] = [
      ['GET', '/pdp/x', json],
      ['POST', '/pdp/x?a=1', json],
      ['POST', '/pdp/x%41', json],
      ['POST', '/pdp/x.y', json],
      ['POST', `/pdp/${'a'.repeat(129)}`, json],
      ['POST', '/pdp/x/', json],
      ['POST', '/pdp/x/access/v1/evaluations', { ...json, 'content-type': 'application/json' }],
      ['POST', '/pdp/x/access/v1/evaluation', json],
      ['POST', '/pdp/x', { ...json, 'content-type': 'text/plain' }],
      ['POST', '/pdp/x', { ...json, 'content-type': 'application/xacml+json; charset=latin1' }],
      ['POST', '/pdp/x', { ...json, 'content-type': 'application/xacml+json; charset=utf-8; q=1' }],
      ['POST', '/pdp/x', { 'content-length': '10' }],
      ['POST', '/pdp/x', { ...json, 'content-encoding': 'gzip' }],
      ['POST', '/pdp/x', { 'content-type': 'application/xacml+json', 'transfer-encoding': 'chunked' }],
      ['POST', '/pdp/x', { 'content-type': 'application/xacml+json' }],
      ['POST', '/pdp/x', { ...json, 'content-length': String(LIMIT + 1) }],
    ];
    for (const [method, url, headers] of cases) expect([method, url, headers, laneCall(head(method, url, headers), LIMIT)]).toEqual([method, url, headers, undefined]);
  });
});

describe.each(PROVIDERS)('the decision lane answers as the express route does (%s)', (provider) => {
  let t: TestPlatform;
  let o: OwnedDomain;
  let stranger: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    o = await ownerWithDomain(t, 'owner');
    stranger = await createUser(t, 'stranger', ['domain-owner']);
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', '1.0', 'read')).expect(201);
  });
  afterAll(async () => {
    await t.close();
  });

  interface Call {
    readonly path: string;
    readonly key: string | null;
    readonly type: string;
    readonly body: string | Buffer;
    readonly headers?: Record<string, string>;
  }
  const send = (c: Call, suffix: string): Test => {
    let req = t.as(c.key).post(`${c.path}${suffix}`).set('Content-Type', c.type);
    for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
    return req.send(c.body);
  };
  /** What must match between the two answers: status, type, body (transaction ids masked), which headers are there. */
  const shape = (r: Response) => ({
    status: r.status,
    type: r.headers['content-type'],
    body: r.text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<tx>'),
    txId: r.headers['x-transaction-id'] !== undefined,
    requestId: r.headers['x-request-id'],
  });
  const both = async (c: Call): Promise<{ lane: Response; express: Response }> => {
    const lane = await send(c, '');
    const express = await send(c, '?via=express');
    expect(lane.headers.etag).toBeUndefined();
    expect(express.headers.etag).toBeDefined();
    expect(shape(lane)).toEqual(shape(express));
    return { lane, express };
  };
  const xacmlJson = (c: Partial<Call> = {}): Call => ({ path: `/pdp/${o.pdpId}`, key: o.owner.key, type: 'application/xacml+json', body: actionRequestJson('read'), ...c });
  const authzen = (c: Partial<Call> = {}): Call => ({ path: `/pdp/${o.pdpId}/access/v1/evaluation`, key: o.owner.key, type: 'application/json', body: JSON.stringify({ subject: { type: 'user', id: 'alice' }, action: { name: 'read' }, resource: { type: 'doc', id: '1' } }), ...c });

  it('answers decisions alike in every format, with transaction and request ids', async () => {
    const json = await both(xacmlJson({ headers: { 'X-Request-ID': 'req-7' } }));
    expect(decisionOf(json.lane.text)).toBe('Permit');
    expect(json.lane.headers['x-request-id']).toBe('req-7');
    const xml = await both(xacmlJson({ type: 'application/xacml+xml', body: '<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" ReturnPolicyIdList="false" CombinedDecision="false"><Attributes Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action"><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">read</AttributeValue></Attribute></Attributes></Request>' }));
    expect(xml.lane.text).toContain('<Decision>Permit</Decision>');
    const az = await both(authzen());
    expect(JSON.parse(az.lane.text)).toMatchObject({ decision: true });
    // A byte-order mark is dropped, as the express body parsers drop it.
    await both(xacmlJson({ body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(actionRequestJson('read'))]) }));
    await both(authzen({ type: 'application/json; charset=utf-8', body: `\ufeff${authzen().body as string}` }));
  });

  it('logs the lane decision under the transaction id it answered with', async () => {
    const r = await send(xacmlJson(), '').expect(200);
    const txId = String(r.headers['x-transaction-id']);
    // Durable log: the entry is committed before the decision is answered.
    const entry = await t.as(o.owner.key).get(`/api/v1/domains/${o.domainId}/decisions/${txId}`).expect(200);
    expect(entry.body).toMatchObject({ txId, decision: 'Permit', format: 'xacml-json', callerId: o.owner.id });
  });

  it('refuses alike: keys, visibility, bodies, documents', async () => {
    const refusals: [Call, number][] = [
      [xacmlJson({ key: 'sfx_not_a_key' }), 401],
      [xacmlJson({ key: null }), 401],
      [xacmlJson({ key: stranger.key }), 404],
      [xacmlJson({ path: '/pdp/no-such-pdp' }), 404],
      [xacmlJson({ body: '' }), 400],
      [xacmlJson({ body: '   ' }), 400],
      [xacmlJson({ body: '{"Request": {"Action": {"Attribute": [{"AttributeId": "a", "Value": "x\u0000y"}]}}}' }), 400],
      [xacmlJson({ body: '{"Request": 5}' }), 400],
      [xacmlJson({ body: '{' }), 400],
      [xacmlJson({ type: 'application/xacml+xml', body: '<Request><oops' }), 400],
      [authzen({ body: '' }), 400],
      [authzen({ body: '"just a string"' }), 400],
      [authzen({ body: '{"subject":' }), 400],
      [authzen({ body: '{"subject": {"type": "user", "id": "a\\ud800"}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1"}}' }), 400],
      [authzen({ body: '{"subject": {"type": 5}, "action": {"name": "read"}, "resource": {"type": "doc", "id": "1"}}' }), 400],
    ];
    for (const [call, status] of refusals) {
      const { lane } = await both(call);
      expect([call.body, lane.status]).toEqual([call.body, status]);
    }
  });

  it('lets a body larger than the limit reach express, which refuses it', async () => {
    const big = `{"Request": {"x": "${'a'.repeat(t.platform.deps.config.bodyLimitBytes)}"}}`;
    const r = await send(xacmlJson({ body: big }), '').expect(413);
    expect(r.headers.etag).toBeDefined();
  });
});
