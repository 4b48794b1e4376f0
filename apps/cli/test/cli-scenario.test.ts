/**
 * The SAFAX scenario with the CLI alone, from an empty installation (only the admin key):
 * the admin creates Alice and the DCs' controllers; Alice sets up her project, domains AD1/AD2,
 * PDP configuration and sample PIP, deploys AR1+AR4 / AR2+AR4 (policies/samples), runs her
 * policy tests locally and against the PDP-URLs, the DCs ask for decisions, she updates to
 * AR1¯/AR2¯, diffs, rolls back, and reads her decision log.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROVIDERS } from '../../api/test/support/test-database';
import { ADMIN_KEY, REPO_ROOT, cli, removeBundle, startLivePlatform } from './support/cli-harness';
import type { Cli, LivePlatform } from './support/cli-harness';

jest.setTimeout(180_000);

const SAMPLES = join(REPO_ROOT, 'policies', 'samples');
const TESTS = join(__dirname, 'fixtures', 'ad1.test.yaml');

describe.each(PROVIDERS)('the SAFAX scenario with the safax CLI (%s)', (provider) => {
  let live: LivePlatform;
  let admin: Cli;
  let alice: Cli;
  const dc: Record<string, { key: string; pdpUrl: string }> = {};
  const work = mkdtempSync(join(tmpdir(), 'safax-scenario-'));

  beforeAll(async () => {
    live = await startLivePlatform(provider);
    admin = cli();
  });
  afterAll(async () => {
    await live.close();
    await removeBundle();
  });

  /** What a DC's PEP gets, asked with the controller's key through the SDK. */
  async function ask(dcName: 'dci' | 'dcii', subject: string, action: string, resource: string, format = 'xacml-json'): Promise<string> {
    const d = dc[dcName]!;
    const c = cli({ SAFAX_URL: live.url, SAFAX_API_KEY: d.key });
    const r = await c.json<{ decision: string; transactionId: string }>(['decide', 'unused', '--pdp-url', d.pdpUrl, '--format', format, '--subject', subject, '--action', action, '--resource', resource]);
    expect(r.transactionId).toMatch(/^[0-9a-f-]{36}$/);
    return r.decision;
  }

  it('the admin logs in and creates Alice (domain owner); her key is printed once', async () => {
    expect((await admin.run(['login', '--url', live.url, '--key', ADMIN_KEY])).code).toBe(0);
    const created = await admin.json<{ principal: { name: string; roles: string[] }; apiKey: string }>(['principals', 'create', 'alice', '--roles', 'domain-owner']);
    expect(created.principal).toMatchObject({ name: 'alice', roles: ['domain-owner'] });
    alice = cli();
    expect((await alice.run(['login', '--url', live.url, '--key', created.apiKey])).code).toBe(0);
    expect((await alice.json<{ name: string }>(['whoami'])).name).toBe('alice');
  });

  it('Alice creates her project and the domains AD1 (photos at DCI) and AD2 (documents at DCII)', async () => {
    await alice.json(['projects', 'create', 'alice-data', '--description', 'photos and business documents']);
    const ad1 = await alice.json<{ name: string; pdpUrl: string }>(['domains', 'create', 'alice-data', 'AD1', '--description', 'photos at DCI']);
    const ad2 = await alice.json<{ pdpUrl: string }>(['domains', 'create', 'alice-data', 'AD2']);
    expect(ad1.pdpUrl).toMatch(new RegExp(`^${live.url}/pdp/`));
    expect(ad2.pdpUrl).not.toBe(ad1.pdpUrl);
    const human = await alice.run(['domains', 'list', 'alice-data']);
    expect(human.stdout).toMatch(/AD1/);
    expect(human.stdout).toMatch(/AD2/);
  });

  it('Alice onboards a domains controller for each domain; its key is printed once', async () => {
    for (const [name, domain] of [
      ['dci', 'AD1'],
      ['dcii', 'AD2'],
    ] as const) {
      const r = await alice.run(['controllers', 'create', `alice-data/${domain}`, '--name', name]);
      expect(r.code).toBe(0);
      const key = /API key \(shown once\): (\S+)/.exec(r.stdout)?.[1];
      const pdpUrl = /PDP-URL: (\S+)/.exec(r.stdout)?.[1];
      expect(key).toMatch(/^sfx_/);
      dc[name] = { key: key!, pdpUrl: pdpUrl! };
    }
    const list = await alice.json<{ name: string }[]>(['controllers', 'list', 'alice-data/AD1']);
    expect(list.map((c) => c.name)).toEqual(['dci']);
  });

  it('Alice configures both PDPs and imports her sample PIP (CSV and JSON)', async () => {
    for (const d of ['AD1', 'AD2']) {
      const c = await alice.json<{ rootCombiningAlgorithm: string }>(['pdp', 'set', `alice-data/${d}`, '--algorithm', 'permit-overrides', '--log', 'full']);
      expect(c.rootCombiningAlgorithm).toBe('urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:permit-overrides');
    }
    writeFileSync(join(work, 'ad1.csv'), 'category,entity,attribute,datatype,value\nresource,photo-17,urn:safax:sample:resource:type,string,photo\nresource,business-plan-2026,urn:safax:sample:resource:type,string,business-plan\n');
    writeFileSync(join(work, 'ad2.json'), JSON.stringify([{ category: 'resource', entity: 'business-plan-2026', attribute: 'urn:safax:sample:resource:type', values: ['business-plan'] }, { category: 'resource', entity: 'photo-17', attribute: 'urn:safax:sample:resource:type', values: ['photo'] }]));
    expect(await alice.json(['pip', 'import', 'alice-data/AD1', join(work, 'ad1.csv')])).toEqual({ upserted: 2 });
    expect(await alice.json(['pip', 'import', 'alice-data/AD2', join(work, 'ad2.json')])).toEqual({ upserted: 2 });
  });

  it('her policy tests pass locally against the sample files', async () => {
    const junit = join(work, 'local.xml');
    const r = await alice.run(['test', TESTS, '--junit', junit]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/5 passing, 0 failing, 0 skipped \(local\)/);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite name="AD1 \(AR1 \+ AR4\)" tests="5" failures="0"/);
  });

  it('she deploys AR1+AR4 to AD1 (a folder would do too) and AR2+AR4 to AD2, each in one upload', async () => {
    const d1 = await alice.json<{ uploaded: { policyId: string }[]; deployment: { number: number } }>(['policies', 'deploy', 'alice-data/AD1', join(SAMPLES, 'ar1-bob-views-photos.xml'), join(SAMPLES, 'ar4-deny-everything-else.xml')]);
    expect(d1.uploaded.map((u) => u.policyId)).toEqual(['urn:safax:sample:alice:AR1', 'urn:safax:sample:alice:AR4']);
    expect(d1.deployment.number).toBe(1);
    await alice.json(['policies', 'deploy', 'alice-data/AD2', join(SAMPLES, 'ar2-bob-views-business-plan.xml'), join(SAMPLES, 'ar4-deny-everything-else.xml')]);
  });

  it('the same policy tests pass against the PDP-URL of AD1, in every wire format', async () => {
    for (const format of ['xacml-json', 'xacml-xml']) {
      const r = await alice.run(['test', TESTS, '--domain', 'alice-data/AD1', '--format', format]);
      expect([format, r.code, r.stderr]).toEqual([format, 0, '']);
      expect(r.stdout).toMatch(/5 passing, 0 failing/);
    }
  });

  it('the DCs ask their PDP-URLs: Bob may view photos (AD1) and the business plan (AD2), nothing else', async () => {
    expect(await ask('dci', 'bob', 'view', 'photo-17', 'xacml-xml')).toBe('Permit');
    expect(await ask('dcii', 'bob', 'view', 'business-plan-2026')).toBe('Permit');
    expect(await ask('dci', 'bob', 'modify', 'photo-17')).toBe('Deny');
    expect(await ask('dcii', 'bob', 'view', 'photo-17')).toBe('Deny');
    expect(await ask('dci', 'charlie', 'view', 'photo-17')).toBe('Deny');
  });

  it('she updates to AR1¯ and AR2¯: Bob may now modify; versions and diff show the change', async () => {
    await alice.json(['policies', 'deploy', 'alice-data/AD1', join(SAMPLES, 'ar1-bar-bob-views-and-modifies-photos.xml')]);
    await alice.json(['policies', 'deploy', 'alice-data/AD2', join(SAMPLES, 'ar2-bar-bob-views-and-modifies-business-plan.xml')]);
    expect(await ask('dci', 'bob', 'modify', 'photo-17')).toBe('Permit');
    expect(await ask('dcii', 'bob', 'modify', 'business-plan-2026')).toBe('Permit');
    const versions = await alice.json<{ policyId: string; activeVersion: string; versions: { version: string }[] }[]>(['policies', 'versions', 'alice-data/AD1', '--policy', 'urn:safax:sample:alice:AR1']);
    expect(versions[0]).toMatchObject({ activeVersion: '2.0', versions: [{ version: '1.0' }, { version: '2.0' }] });
    const diff = await alice.json<{ from: string; to: string; patch: string }>(['policies', 'diff', 'alice-data/AD1', 'urn:safax:sample:alice:AR1']);
    expect(diff).toMatchObject({ from: '1.0', to: '2.0' });
    expect(diff.patch).toMatch(/^\+.*modify/m);
  });

  it('she rolls AD1 back: modify is denied again; export writes the active set', async () => {
    const r = await alice.json<{ deployment: { reason: string; policies: { policyId: string; version: string }[] } }>(['policies', 'rollback', 'alice-data/AD1']);
    expect(r.deployment.reason).toBe('rollback');
    expect(r.deployment.policies).toContainEqual({ policyId: 'urn:safax:sample:alice:AR1', version: '1.0' });
    expect(await ask('dci', 'bob', 'modify', 'photo-17')).toBe('Deny');
    const out = join(work, 'export');
    const files = await alice.json<{ file: string }[]>(['policies', 'export', 'alice-data/AD1', '--out', out]);
    expect(files.map((f) => f.file).sort()).toEqual([join(out, 'urn_safax_sample_alice_AR1-v1.0.xml'), join(out, 'urn_safax_sample_alice_AR4-v1.0.xml')]);
    expect(readFileSync(join(out, 'urn_safax_sample_alice_AR1-v1.0.xml'), 'utf8')).toBe(readFileSync(join(SAMPLES, 'ar1-bob-views-photos.xml'), 'utf8'));
  });

  it('she reads the decision log: tail and a CSV export of every decision', async () => {
    const tail = await alice.run(['logs', 'tail', 'alice-data/AD1', '-n', '3']);
    expect(tail.code).toBe(0);
    expect(tail.stdout.trim().split('\n')).toHaveLength(3);
    const file = join(work, 'ad1.csv.out');
    const exp = await alice.json<{ exported: number }>(['logs', 'export', 'alice-data/AD1', '--since', '1h', '--format', 'csv', '-o', file]);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('time,txId,decision,status,callerId,format,policies,obligations,durationMs');
    expect(lines.length - 1).toBe(exp.exported);
    // Five decisions of the DCs on AD1 and the remote policy tests (2 formats × 5).
    expect(exp.exported).toBeGreaterThanOrEqual(15);
    expect(lines.some((l) => l.includes(',Permit,'))).toBe(true);
  });
});
