/**
 * The evaluation log for owners (issue 13): subject, action and resource kept with each entry
 * (XACML XML, JSON Profile, AuthZEN), text search, caller by name, export of the filtered range
 * as CSV and JSON Lines; principals named wherever the API returns their ids.
 */
import { parse } from 'csv-parse/sync';
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { permitPolicy } from './support/policies';
import { PROVIDERS } from './support/test-database';
import { createUser, errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

jest.setTimeout(30_000);

interface LogItem {
  txId: string;
  decision: string;
  subject: string | null;
  action: string | null;
  resource: string | null;
  callerId: string | null;
  callerName: string | null;
  testedBy?: string;
  testedByName?: string | null;
}

const xml = (subject: string, action: string, resource: string) => `<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" ReturnPolicyIdList="false" CombinedDecision="false">
  <Attributes Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject"><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:subject:subject-id" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${subject}</AttributeValue></Attribute></Attributes>
  <Attributes Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action"><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${action}</AttributeValue></Attribute></Attributes>
  <Attributes Category="urn:oasis:names:tc:xacml:3.0:attribute-category:resource"><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:resource:resource-id" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${resource}</AttributeValue></Attribute></Attributes>
</Request>`;

describe.each(PROVIDERS)('evaluation log search and export (%s)', (provider) => {
  let t: TestPlatform;
  let alice: OwnedDomain;
  let dcOne: { id: string; key: string };
  let dcTwo: { id: string; key: string };
  const log = async (query: string): Promise<LogItem[]> => (await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/decisions?limit=500&${query}`).expect(200)).body.items as LogItem[];

  beforeAll(async () => {
    t = await startTestPlatform(provider);
    alice = await ownerWithDomain(t, 'alice');
    dcOne = await createUser(t, 'dc-one', ['domains-controller']);
    dcTwo = await createUser(t, 'dc-two', ['domains-controller']);
    for (const dc of ['dc-one', 'dc-two']) await t.as(alice.owner.key).put(`/api/v1/domains/${alice.domainId}/controllers/${dc}`).expect(200);
    await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/policies`).set('Content-Type', 'application/xml').send(permitPolicy('p', '1.0', 'view')).expect(201);
    const pdp = `/pdp/${alice.pdpId}`;
    await t.as(dcOne.key).post(pdp).set('Content-Type', 'application/xacml+xml').send(xml('Bob', 'view', 'photo-17')).expect(200);
    await t.as(dcOne.key).post(pdp).set('Content-Type', 'application/xacml+json').send({ Request: { AccessSubject: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id', Value: 'carol' }] }, Action: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: 'delete' }] }, Resource: { Attribute: [{ AttributeId: 'urn:example:kind', Value: 'business-plan' }] } } }).expect(200);
    await t.as(dcTwo.key).post(`${pdp}/access/v1/evaluation`).send({ subject: { type: 'user', id: 'dave' }, action: { name: 'view' }, resource: { type: 'photo', id: '=HYPERLINK("http://evil")' } }).expect(200);
    await t.as(alice.owner.key).post(`/api/v1/domains/${alice.domainId}/test-evaluations`).send({ asController: 'dc-two', format: 'xacml-xml', body: xml('erin', 'view', 'photo-18') }).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps subject, action and resource of every format, and names callers and testers', async () => {
    const items = await log('');
    expect(items.map((i) => [i.subject, i.action, i.resource, i.callerName, i.decision])).toEqual([
      ['erin', 'view', 'photo-18', 'dc-two', 'Permit'],
      ['dave', 'view', '=HYPERLINK("http://evil")', 'dc-two', 'Permit'],
      // No resource-id: the first resource attribute, as id=value.
      ['carol', 'delete', 'kind=business-plan', 'dc-one', 'NotApplicable'],
      ['Bob', 'view', 'photo-17', 'dc-one', 'Permit'],
    ]);
    expect(items[0]).toMatchObject({ testedBy: alice.owner.id, testedByName: 'alice', callerId: dcTwo.id });
    const one = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/decisions/${items[3]?.txId ?? ''}`).expect(200);
    expect(one.body).toMatchObject({ subject: 'Bob', callerName: 'dc-one' });
  });

  it('searches subject, action, resource and transaction id without regard to case', async () => {
    expect((await log('q=bob')).map((i) => i.subject)).toEqual(['Bob']);
    expect((await log('q=PHOTO-1')).map((i) => i.resource)).toEqual(['photo-18', 'photo-17']);
    expect((await log('q=delete')).map((i) => i.subject)).toEqual(['carol']);
    const tx = (await log('q=dave'))[0]?.txId ?? '';
    expect((await log(`q=${tx.slice(0, 13)}`)).map((i) => i.txId)).toEqual([tx]);
    // LIKE wildcards are text here.
    expect(await log('q=%25')).toEqual([]);
    expect(await log('q=_')).toEqual([]);
    expect((await log('q=view&decision=Permit&callerName=dc-one')).map((i) => i.subject)).toEqual(['Bob']);
  });

  it('filters by caller name (nobody with that name: no entries)', async () => {
    expect((await log('callerName=dc-two')).map((i) => i.subject)).toEqual(['erin', 'dave']);
    expect((await log(`caller=${dcOne.id}`)).map((i) => i.subject)).toEqual(['carol', 'Bob']);
    expect(await log('callerName=nobody')).toEqual([]);
    expect(await log(`callerName=dc-two&caller=${dcOne.id}`)).toEqual([]);
  });

  it('exports the filtered range as CSV, with formula cells kept as text', async () => {
    const res = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/decision-export?format=csv&decision=Permit`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="decisions-${alice.domainId}-.*\\.csv"$`));
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.subject, r.action, r.resource, r.callerName, r.decision])).toEqual([
      ['erin', 'view', 'photo-18', 'dc-two', 'Permit'],
      ['dave', 'view', `'=HYPERLINK("http://evil")`, 'dc-two', 'Permit'],
      ['Bob', 'view', 'photo-17', 'dc-one', 'Permit'],
    ]);
    expect(rows[0]?.testedBy).toBe(alice.owner.id);
    expect(rows[2]?.policies).toBe('p v1.0');
    expect(Object.keys(rows[0] ?? {})).toEqual(['time', 'txId', 'decision', 'status', 'subject', 'action', 'resource', 'callerId', 'callerName', 'testedBy', 'format', 'policies', 'obligations', 'durationMs']);
  });

  it('exports JSON Lines, one entry per line as the log shows it, and only the header for an empty range', async () => {
    const res = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/decision-export?format=jsonl&callerName=dc-one`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/jsonl/);
    const lines = res.text.trimEnd().split('\n').map((l) => JSON.parse(l) as LogItem);
    expect(lines.map((l) => [l.subject, l.callerName])).toEqual([
      ['carol', 'dc-one'],
      ['Bob', 'dc-one'],
    ]);
    const empty = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/decision-export?format=csv&q=nothing-like-this`).expect(200);
    expect(empty.text.trim()).toBe('time,txId,decision,status,subject,action,resource,callerId,callerName,testedBy,format,policies,obligations,durationMs');
    expect((await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/decision-export?format=jsonl&callerName=nobody`).expect(200)).text).toBe('');
  });

  it('pages the export past one read, oldest last', async () => {
    const body = { Request: { AccessSubject: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id', Value: 'bulk' }] }, Action: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: 'view' }] } } };
    const batch = Array.from({ length: 520 }, (_, i) => ({ txId: `bulk-${String(i).padStart(4, '0')}`, domainId: alice.domainId, time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)), callerId: dcOne.id, format: 'xacml-json', decision: 'Permit', statusCode: 'ok', request: JSON.stringify(body), response: null, obligations: [], policies: [], calls: [], durationMs: 1, subject: 'bulk', action: 'view', resource: null }));
    await t.platform.deps.repos.decisions.insertMany(batch);
    const res = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/decision-export?format=jsonl&q=bulk`).expect(200);
    const ids = res.text.trimEnd().split('\n').map((l) => (JSON.parse(l) as LogItem).txId);
    expect(ids).toHaveLength(520);
    expect(ids[0]).toBe('bulk-0519');
    expect(ids[519]).toBe('bulk-0000');
  });

  it('is the owner\'s and collaborators\': refused to controllers and other owners; bad filters are 400', async () => {
    await t.as(dcOne.key).get(`/api/v1/domains/${alice.domainId}/decision-export`).expect(403);
    const bob = await ownerWithDomain(t, 'bob');
    await t.as(bob.owner.key).get(`/api/v1/domains/${alice.domainId}/decision-export`).expect(404);
    expect(errorCode((await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/decision-export?format=xlsx`).expect(400)).body)).toBe('bad-request');
    expect(errorCode((await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/decisions?q=${'x'.repeat(201)}`).expect(400)).body)).toBe('bad-request');
  });

  it('names who stored each policy version and deployment, who owns a project and who registered a service', async () => {
    const policies = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/policies`).expect(200);
    expect(policies.body.items[0].versions[0]).toMatchObject({ createdBy: alice.owner.id, createdByName: 'alice' });
    const version = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/policies/p/versions/1.0`).expect(200);
    expect(version.body.createdByName).toBe('alice');
    const deployments = await t.as(alice.owner.key).get(`/api/v1/domains/${alice.domainId}/deployments`).expect(200);
    expect(deployments.body.items[0]).toMatchObject({ createdBy: alice.owner.id, createdByName: 'alice' });
    const projects = await t.as(t.adminKey).get('/api/v1/projects').expect(200);
    expect(projects.body.items.map((p: { name: string; ownerName: string }) => [p.name, p.ownerName]).sort()).toEqual([
      ['alice-project', 'alice'],
      ['bob-project', 'bob'],
    ]);
    const pdpService = await t.as(alice.owner.key).get(`/api/v1/services/pdp-${alice.domainId}`).expect(200);
    expect(pdpService.body.registeredByName).toBe('alice');
  });
});
