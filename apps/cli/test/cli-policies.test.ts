/**
 * Deploy is all-or-nothing and says what is wrong in one line (exit 3 for an invalid policy);
 * policy tests report failures (exit 4), a JUnit file, and refuse bad test files (exit 2).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli';
import { ADMIN_KEY, REPO_ROOT, cli, removeBundle, startLivePlatform } from './support/cli-harness';
import type { Cli, LivePlatform } from './support/cli-harness';

jest.setTimeout(120_000);

const SAMPLES = join(REPO_ROOT, 'policies', 'samples');
const UNKNOWN_FUNCTION = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="urn:x:bad" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit"><Target/><Rule RuleId="r" Effect="Permit"><Condition><Apply FunctionId="urn:example:no-such-function"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">x</AttributeValue></Apply></Condition></Rule></Policy>`;

describe('safax policies and policy tests (sqlite)', () => {
  let live: LivePlatform;
  let owner: Cli;
  let ownerKey = '';
  const work = mkdtempSync(join(tmpdir(), 'safax-policies-'));

  beforeAll(async () => {
    live = await startLivePlatform('sqlite');
    const admin = cli({ SAFAX_URL: live.url, SAFAX_API_KEY: ADMIN_KEY });
    const created = await admin.json<{ apiKey: string }>(['principals', 'create', 'paula', '--roles', 'domain-owner']);
    ownerKey = created.apiKey;
    owner = cli({ SAFAX_URL: live.url, SAFAX_API_KEY: created.apiKey });
    await owner.json(['projects', 'create', 'p']);
    await owner.json(['domains', 'create', 'p', 'd']);
  });
  afterAll(async () => {
    await live.close();
    await removeBundle();
  });

  const stored = async () => owner.json<unknown[]>(['policies', 'list', 'p/d']);

  it('a folder with one malformed file: one line naming it, exit 3, nothing deployed', async () => {
    const dir = join(work, 'broken');
    mkdirSync(dir);
    copyFileSync(join(SAMPLES, 'ar1-bob-views-photos.xml'), join(dir, 'a-ar1.xml'));
    writeFileSync(join(dir, 'b-broken.xml'), '<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="x"');
    const r = await owner.run(['policies', 'deploy', 'p/d', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/invalid policy .*b-broken\.xml/);
    expect(await stored()).toEqual([]);
  });

  it('a batch the server refuses to compile (unknown function): exit 3, nothing deployed; --dry-run stores nothing either', async () => {
    const dir = join(work, 'uncompilable');
    mkdirSync(dir);
    copyFileSync(join(SAMPLES, 'ar1-bob-views-photos.xml'), join(dir, 'ar1.xml'));
    writeFileSync(join(dir, 'bad.xml'), UNKNOWN_FUNCTION);
    const r = await owner.run(['policies', 'deploy', 'p/d', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no-such-function/);
    expect(await stored()).toEqual([]);
    const dry = await owner.run(['policies', 'deploy', 'p/d', join(dir, 'ar1.xml'), '--dry-run']);
    expect([dry.code, dry.stdout]).toEqual([0, expect.stringMatching(/dry run: 1 document\(s\) would deploy: urn:safax:sample:alice:AR1 v1\.0/)]);
    expect(await stored()).toEqual([]);
    const local = await owner.run(['policies', 'validate', dir]);
    expect(local.code).toBe(3);
    expect(local.stderr).toMatch(/no-such-function/);
  });

  it('a failing policy test: its reason, the summary, exit 4 and a JUnit failure', async () => {
    const file = join(work, 'failing.test.yaml');
    writeFileSync(
      file,
      readFileSync(join(__dirname, 'fixtures', 'ad1.test.yaml'), 'utf8')
        .replace(/\.\.\/\.\.\/\.\.\/\.\.\/policies\/samples/g, SAMPLES)
        .replace('name: Bob may not modify a photo\n    request: { subject: bob, action: modify, resource: photo-17 }\n    expect: Deny', 'name: Bob may not modify a photo\n    request: { subject: bob, action: modify, resource: photo-17 }\n    expect: Permit')
        .replace('  - name: Charlie may not view a photo', '  - name: skipped one\n    request: { subject: x, action: y, resource: z }\n    expect: Permit\n    skip: not written yet\n  - name: Charlie may not view a photo'),
    );
    const junit = join(work, 'failing.xml');
    const r = await owner.run(['test', file, '--junit', junit]);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/FAIL .*Bob may not modify a photo: expected Permit, got Deny/);
    expect(r.stdout).toMatch(/SKIP .*skipped one: not written yet/);
    expect(r.stdout).toMatch(/4 passing, 1 failing, 1 skipped \(local\)/);
    expect(r.stderr).toMatch(/1 of 6 policy test\(s\) failed/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/tests="6" failures="1" skipped="1"/);
    expect(xml).toMatch(/<failure message="expected Permit, got Deny">/);
  });

  it('bad test files are one clear line and exit 2', async () => {
    const cases: [string, string, RegExp][] = [
      ['no-tests.yaml', 'name: x\ntests: []\n', /at least one test/],
      ['bad-expect.yaml', 'tests:\n  - name: t\n    request: { subject: a, action: b, resource: c }\n    expect: Maybe\n', /tests\.0\.expect/],
      ['bad-request.yaml', 'policies: [x.xml]\ntests:\n  - name: t\n    request: { subject: a }\n    expect: Permit\n', /tests\[0\] \(t\): request: action/],
      ['not-yaml.yaml', 'tests: [\n', /not YAML/],
    ];
    for (const [name, text, message] of cases) {
      writeFileSync(join(work, name), text);
      const r = await owner.run(['test', join(work, name)]);
      expect([name, r.code]).toEqual([name, 2]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it('obligations are checked when the test expects them', async () => {
    const policy = join(work, 'obligation.xml');
    writeFileSync(
      policy,
      `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="urn:x:ob" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit"><Target/><Rule RuleId="r" Effect="Permit"/><ObligationExpressions><ObligationExpression ObligationId="urn:x:log" FulfillOn="Permit"><AttributeAssignmentExpression AttributeId="urn:x:level"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">high</AttributeValue></AttributeAssignmentExpression></ObligationExpression></ObligationExpressions></Policy>`,
    );
    const file = join(work, 'obligations.test.yaml');
    writeFileSync(
      file,
      `policies: [obligation.xml]\ntests:\n  - name: with the obligation\n    request: { subject: a, action: b, resource: c }\n    expect: { decision: Permit, obligations: [{ id: "urn:x:log", assignments: { "urn:x:level": high } }] }\n  - name: wrong assignment\n    request: { subject: a, action: b, resource: c }\n    expect: { decision: Permit, obligations: [{ id: "urn:x:log", assignments: { "urn:x:level": low } }] }\n`,
    );
    const r = await owner.json<{ passed: number; failed: number; results: { name: string; reason?: string }[] }>(['test', file]).catch((e: Error) => e);
    expect(r).toBeInstanceOf(Error);
    const plain = await owner.run(['test', file]);
    expect(plain.code).toBe(4);
    expect(plain.stdout).toMatch(/PASS .*with the obligation/);
    expect(plain.stdout).toMatch(/FAIL .*wrong assignment: obligation urn:x:log: expected urn:x:level = low, got high/);
  });

  it('services: register from a file and from a descriptor URL, list, disable, enable, delete', async () => {
    const descriptor = (id: string) => ({ id, provider: { id: 'paula-lab' }, description: `service ${id}`, endpoint: 'https://example.org/x', method: 'POST', type: 'other', requestFormat: 'json', responseFormat: 'json' });
    const file = join(work, 'svc.json');
    writeFileSync(file, JSON.stringify(descriptor('from-file')));
    const published = createServer((_req, res) => res.setHeader('Content-Type', 'application/json').end(JSON.stringify(descriptor('from-url'))));
    await new Promise<void>((r) => published.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(published.address() as AddressInfo).port}/descriptor.json`;
      expect((await owner.run(['services', 'register', '--file', file])).stdout).toMatch(/registered other service from-file/);
      expect((await owner.json<{ enabled: boolean }>(['services', 'register', '--descriptor-url', url])).enabled).toBe(true);
    } finally {
      published.close();
    }
    const listed = await owner.json<{ descriptor: { id: string } }[]>(['services', 'list', '--type', 'other']);
    expect(listed.map((x) => x.descriptor.id).sort()).toEqual(['from-file', 'from-url']);
    expect((await owner.json<{ enabled: boolean }>(['services', 'disable', 'from-url'])).enabled).toBe(false);
    expect((await owner.json<{ enabled: boolean }>(['services', 'enable', 'from-url'])).enabled).toBe(true);
    expect((await owner.run(['services', 'delete', 'from-file'])).code).toBe(0);
    expect((await owner.run(['services', 'show', 'from-file'])).code).toBe(6);
    const both = await owner.run(['services', 'register']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/exactly one of --file or --descriptor-url/)]);
  });

  it('logs tail --follow prints decisions as they are made, until stopped', async () => {
    await owner.json(['policies', 'deploy', 'p/d', join(SAMPLES, 'ar1-bob-views-photos.xml')]);
    let out = '';
    const io = { out: (t: string) => void (out += t), err: () => undefined, env: { SAFAX_URL: live.url, SAFAX_API_KEY: ownerKey }, stdoutIsTty: false, stderrIsTty: false, cwd: process.cwd() };
    const stop = new AbortController();
    const following = runCli(['logs', 'tail', 'p/d', '--follow', '--interval', '100', '--json'], io, stop.signal);
    const seen: string[] = [];
    for (const subject of ['bob', 'carol']) {
      const d = await owner.json<{ transactionId: string }>(['decide', 'p/d', '--subject', subject, '--action', 'view', '--resource', 'photo-17']);
      seen.push(d.transactionId);
      await waitFor(() => out.includes(d.transactionId));
    }
    stop.abort();
    expect(await following).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { txId: string });
    expect(lines.map((l) => l.txId).filter((id) => seen.includes(id))).toEqual(seen);
  });
});

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!ok()) throw new Error('timed out waiting for the followed log');
}
