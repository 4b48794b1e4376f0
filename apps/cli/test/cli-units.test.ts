/** The CLI's pure parts, in-process: request forms, expectations, CSV/JUnit output, time parsing, exit codes. */
import { parseRequestJson } from '@safax/xacml';
import { csvRow, parseSince } from '../src/commands/logs';
import { requestFromFlags } from '../src/commands/decide-action';
import { CliError, EXIT, cliCodeOfApi } from '../src/exit-codes';
import { junitXml } from '../src/policy-tests/junit';
import { mismatch } from '../src/policy-tests/outcome';
import { fromRaw, guessFormat, toJsonProfile } from '../src/requests';
import { runCli } from '../src/cli';
import type { Io } from '../src/io';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const XML = `<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" ReturnPolicyIdList="false" CombinedDecision="false">
<Attributes Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject"><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:subject:subject-id" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">bob</AttributeValue></Attribute><Attribute AttributeId="urn:x:age" IncludeInResult="false" Issuer="urn:x:registry"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#integer">42</AttributeValue></Attribute></Attributes>
<Attributes Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action"><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">read</AttributeValue></Attribute></Attributes>
<Attributes Category="urn:oasis:names:tc:xacml:3.0:attribute-category:resource"><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:resource:resource-id" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">public.patients</AttributeValue></Attribute></Attributes>
<Attributes Category="urn:oasis:names:tc:xacml:3.0:attribute-category:environment"><Attribute AttributeId="urn:x:when" IncludeInResult="false"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#date">2026-11-30</AttributeValue></Attribute></Attributes>
</Request>`;

function memoryIo(env: Record<string, string> = {}): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), env, stdoutIsTty: false, stderrIsTty: false, cwd: process.cwd(), stdout: () => out, stderr: () => err };
}

describe('safax pure parts', () => {
  it('a raw XACML XML request keeps every attribute, datatype and issuer through the SDK form', () => {
    const r = fromRaw(guessFormat('r.xml', XML), XML);
    expect(r.subject.id).toBe('bob');
    expect(r.resource.id).toBe('public.patients');
    const back = parseRequestJson(toJsonProfile(r));
    const attrs = back.categories.flatMap((c) => c.attributes.map((a) => [c.category.split(':').pop(), a.attributeId, a.issuer ?? '', a.values.map((v) => `${v.datatype.id.split('#')[1]}:${v.datatype.format(v.value)}`).join()]));
    expect(attrs).toEqual(
      expect.arrayContaining([
        ['access-subject', 'urn:oasis:names:tc:xacml:1.0:subject:subject-id', '', 'string:bob'],
        ['access-subject', 'urn:x:age', 'urn:x:registry', 'integer:42'],
        ['environment', 'urn:x:when', '', 'date:2026-11-30'],
      ]),
    );
  });

  it('refuses raw requests the SDK cannot carry, naming why', () => {
    expect(() => fromRaw('xacml-xml', '<Request')).toThrow(/not a valid XACML request/);
    expect(() => fromRaw('xacml-json', JSON.stringify({ Request: { Action: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: 'read' }] } } }))).toThrow(/needs one subject-id/);
    expect(() => fromRaw('authzen', JSON.stringify({ subject: { id: 'bob' } }))).toThrow(/not an AuthZEN evaluation/);
  });

  it('decide flags use the shared dataset vocabulary', () => {
    const r = requestFromFlags({ user: 'eve', group: ['nurses'], role: ['auditor'], action: 'read', dataset: 'public.visits', purpose: 'care', attr: ['subject.urn:x:clearance=secret'] });
    expect(r).toEqual({
      subject: { id: 'eve', properties: { 'urn:x:clearance': 'secret', 'urn:safax:1.0:subject:group': ['nurses'], 'urn:oasis:names:tc:xacml:2.0:subject:role': ['auditor'] } },
      action: { name: 'read', properties: {} },
      resource: { id: 'public.visits', properties: { 'urn:safax:1.0:resource:type': 'dataset' } },
      environment: { 'urn:safax:1.0:environment:purpose': 'care' },
    });
    expect(() => requestFromFlags({ action: 'read' })).toThrow(CliError);
    expect(() => requestFromFlags({ subject: 'a', action: 'b', resource: 'c', attr: ['nonsense'] })).toThrow(/--attr/);
  });

  it('compares decisions, obligations and assignments', () => {
    const observed = { decision: 'Permit', obligations: [{ id: 'o1', assignments: [{ attributeId: 'a', value: '1' }] }], advice: [] };
    expect(mismatch({ decision: 'Permit' }, observed)).toBeUndefined();
    expect(mismatch({ decision: 'Deny' }, observed)).toBe('expected Deny, got Permit');
    expect(mismatch({ decision: 'Permit', obligations: [{ id: 'o1', assignments: { a: 1 } }] }, observed)).toBeUndefined();
    expect(mismatch({ decision: 'Permit', obligations: [{ id: 'o1', assignments: { a: 2 } }] }, observed)).toMatch(/expected a = 2, got 1/);
    expect(mismatch({ decision: 'Permit', obligations: [] }, observed)).toBe('unexpected obligation o1');
    expect(mismatch({ decision: 'Permit' }, { ...observed, error: 'no decision: timeout: t' })).toBe('no decision: timeout: t');
  });

  it('CSV rows quote what needs quoting; JUnit escapes names', () => {
    const row = csvRow({ txId: 't', time: '2026-11-30T00:00:00.000Z', callerId: null, format: 'xacml-json', decision: 'Deny', status: 's', obligations: [], policies: ['a, "b"'], calls: [], durationMs: 1 });
    expect(row).toBe('2026-11-30T00:00:00.000Z,t,Deny,s,,xacml-json,"a, ""b""",,1');
    const xml = junitXml([{ suite: 's<1>', name: 'n & m', outcome: 'failed', ms: 5, expected: { decision: 'Permit' }, reason: 'expected Permit, got Deny' }]);
    expect(xml).toContain('<testsuite name="s&lt;1&gt;" tests="1" failures="1" skipped="0"');
    expect(xml).toContain('name="n &amp; m"');
  });

  it('--since takes ISO instants or durations back from now', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(parseSince('2h', now)).toBe('2026-11-30T10:00:00.000Z');
    expect(parseSince('7d', now)).toBe('2026-11-23T12:00:00.000Z');
    expect(parseSince('2026-11-01T00:00:00+01:00')).toBe('2026-10-31T23:00:00.000Z');
    expect(() => parseSince('yesterday')).toThrow(/not a time/);
  });

  it('API errors map to the exit-code table', () => {
    expect(new CliError(cliCodeOfApi('invalid-policy', 400), 'x').exitCode).toBe(EXIT.invalidPolicy);
    expect(new CliError(cliCodeOfApi('bad-request', 400), 'x').exitCode).toBe(EXIT.usage);
    expect(new CliError(cliCodeOfApi('forbidden', 403), 'x').exitCode).toBe(EXIT.auth);
    expect(new CliError(cliCodeOfApi('not-found', 404), 'x').exitCode).toBe(EXIT.notFound);
    expect(new CliError(cliCodeOfApi('conflict', 409), 'x').exitCode).toBe(EXIT.conflict);
    expect(new CliError(cliCodeOfApi('internal', 500), 'x').exitCode).toBe(EXIT.error);
  });

  it('parses without running: usage errors and --json errors in-process', async () => {
    const io = memoryIo();
    expect(await runCli(['rights', 'grant', 'd', '--user', 'bob', '--dataset', 'public.x'], io)).toBe(EXIT.usage);
    expect(io.stderr()).toMatch(/required option '--actions <list>' not specified/);
    const j = memoryIo();
    expect(await runCli(['--json', 'logs', 'export', 'd'], j)).toBe(EXIT.usage);
    expect(JSON.parse(j.stderr())).toEqual({ error: { code: 'usage', message: expect.stringMatching(/--since/) } });
  });
});

describe('local policy runs: compatibility mode and an attributes file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'safax-local-'));
  const X3 = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
  // Permits clearance "secret" (a subject attribute no request carries); two rules share an id.
  writeFileSync(join(dir, 'clearance.xml'), `<Policy xmlns="${X3}" PolicyId="urn:x:clearance" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit"><Target/>
    <Rule RuleId="r" Effect="Permit"><Condition><Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-is-in"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">secret</AttributeValue>
      <AttributeDesignator Category="urn:oasis:names:tc:xacml:1.0:subject-category:access-subject" AttributeId="urn:x:clearance" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/></Apply></Condition></Rule>
    <Rule RuleId="r" Effect="Deny"><Target><AnyOf><AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">burn</AttributeValue>
      <AttributeDesignator Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action" AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/></Match></AllOf></AnyOf></Target></Rule></Policy>`);
  writeFileSync(join(dir, 'suite.yaml'), 'policies: [clearance.xml]\ntests:\n  - name: ann reads\n    request: { subject: ann, action: read, resource: doc-1 }\n    expect: Permit\n');
  writeFileSync(join(dir, 'pip.yaml'), 'attributes:\n  - { category: subject, entity: ann, attribute: "urn:x:clearance", values: [secret] }\n');
  writeFileSync(join(dir, 'bad-pip.json'), '[{ "category": "subject", "entity": "ann" }]');
  const io = () => ({ ...memoryIo(), cwd: dir });

  it('strict: duplicate RuleIds refuse the policies (exit 3)', async () => {
    const m = io();
    expect(await runCli(['test', 'suite.yaml'], m)).toBe(EXIT.invalidPolicy);
    expect(m.stderr()).toMatch(/RuleId r is already used/);
  });

  it('--compat loads them and prints each leniency; --attributes answers what the request lacks', async () => {
    const without = io();
    expect(await runCli(['test', 'suite.yaml', '--compat'], without)).toBe(EXIT.testsFailed);
    expect(without.stdout()).toMatch(/WARN .*duplicate-rule-id/);
    expect(without.stdout()).toMatch(/FAIL .*ann reads: expected Permit, got Deny/);
    const withAttrs = io();
    expect(await runCli(['test', 'suite.yaml', '--compat', '--attributes', 'pip.yaml'], withAttrs)).toBe(EXIT.ok);
    expect(withAttrs.stdout()).toMatch(/1 passing, 0 failing, 0 skipped \(local\); 1 compatibility warning/);
  });

  it('a bad attributes file, or --attributes with --domain, is refused with one line', async () => {
    const bad = io();
    expect(await runCli(['test', 'suite.yaml', '--attributes', 'bad-pip.json'], bad)).toBe(EXIT.usage);
    expect(bad.stderr()).toMatch(/bad-pip\.json: expected a list .*attribute/);
    const both = io();
    expect(await runCli(['test', 'suite.yaml', '--domain', 'p/d', '--attributes', 'pip.yaml'], both)).toBe(EXIT.usage);
  });

  it('policies validate --compat lists the warnings (JSON too)', async () => {
    const m = io();
    expect(await runCli(['policies', 'validate', 'clearance.xml', '--compat'], m)).toBe(EXIT.ok);
    expect(m.stdout()).toMatch(/compile together in compatibility mode\n1 compatibility warning\(s\)[^\n]*\n {2}warning duplicate-rule-id/);
    const j = io();
    expect(await runCli(['--json', 'policies', 'validate', 'clearance.xml', '--compat'], j)).toBe(EXIT.ok);
    expect(JSON.parse(j.stdout())).toMatchObject({ ok: true, warnings: [{ code: 'duplicate-rule-id', strictCode: 'duplicate-id' }] });
  });
});
