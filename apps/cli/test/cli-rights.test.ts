/**
 * The access-rights manager through the CLI: grant → Permit and revoke → Deny with no restart,
 * conditions (group, purpose), the managed policy's versions, bad names and an unknown domain
 * changing nothing, and (PostgreSQL) 20 concurrent `safax rights grant` processes all landing.
 */
import { join } from 'node:path';
import { PROVIDERS } from '../../api/test/support/test-database';
import { ADMIN_KEY, REPO_ROOT, cli, removeBundle, startLivePlatform } from './support/cli-harness';
import type { Cli, LivePlatform } from './support/cli-harness';

jest.setTimeout(180_000);

const MANAGED = 'urn:safax:managed:dataset-rights';

describe.each(PROVIDERS)('safax rights (%s)', (provider) => {
  let live: LivePlatform;
  let owner: Cli;
  const domain = 'clinic/db';

  beforeAll(async () => {
    live = await startLivePlatform(provider);
    const admin = cli({ SAFAX_URL: live.url, SAFAX_API_KEY: ADMIN_KEY });
    const created = await admin.json<{ apiKey: string }>(['principals', 'create', 'olga', '--roles', 'domain-owner']);
    owner = cli({ SAFAX_URL: live.url, SAFAX_API_KEY: created.apiKey });
    await owner.json(['projects', 'create', 'clinic']);
    await owner.json(['domains', 'create', 'clinic', 'db']);
    // Anything no right permits is Deny (the managed policy only ever permits).
    await owner.json(['pdp', 'set', domain, '--algorithm', 'deny-unless-permit']);
    await owner.json(['policies', 'deploy', domain, join(REPO_ROOT, 'policies', 'samples', 'ar1-bob-views-photos.xml')]);
  });
  afterAll(async () => {
    await live.close();
    await removeBundle();
  });

  const decide = async (...flags: string[]) => (await owner.json<{ decision: string }>(['decide', domain, '--action', 'read', ...flags])).decision;
  const versions = async () => owner.json<{ policyId: string; activeVersion: string | null; versions: unknown[] }[]>(['policies', 'versions', domain]);

  it('grant gives Permit at once, revoke gives Deny; each is a version of the managed policy', async () => {
    // One root policy (AR1) answers alone: NotApplicable, which a PEP enforces as Deny.
    expect(await decide('--user', 'bob', '--dataset', 'public.patients')).not.toBe('Permit');
    const g = await owner.run(['rights', 'grant', domain, '--user', 'bob', '--dataset', 'public.patients', '--actions', 'read,insert']);
    expect([g.code, g.stderr]).toEqual([0, '']);
    expect(g.stdout).toMatch(/granted: user bob may read, insert public\.patients \(managed policy v1\)/);
    expect(await decide('--user', 'bob', '--dataset', 'public.patients')).toBe('Permit');
    expect(await decide('--user', 'eve', '--dataset', 'public.patients')).toBe('Deny');
    const list = await owner.run(['rights', 'list', domain]);
    expect(list.stdout).toMatch(/user:bob\s+public\.patients\s+read,insert/);
    const r = await owner.json<{ changed: boolean; version: string }>(['rights', 'revoke', domain, '--user', 'bob', '--dataset', 'public.patients']);
    expect(r).toMatchObject({ changed: true, version: '2' });
    expect(await decide('--user', 'bob', '--dataset', 'public.patients')).toBe('Deny');
    const v = await versions();
    expect(v.find((p) => p.policyId === MANAGED)).toMatchObject({ activeVersion: '2', versions: [expect.anything(), expect.anything()] });
    // The hand-written policy is untouched.
    expect(v.find((p) => p.policyId === 'urn:safax:sample:alice:AR1')).toMatchObject({ activeVersion: '1.0', versions: [expect.anything()] });
    const diff = await owner.json<{ patch: string }>(['policies', 'diff', domain, MANAGED, '1', '2']);
    expect(diff.patch).toMatch(/^-.*public\.patients/m);
  });

  it('a group right with a purpose: the request must carry both', async () => {
    await owner.json(['rights', 'grant', domain, '--group', 'nurses', '--dataset', 'public.visits', '--actions', 'read', '--purpose', 'care']);
    expect(await decide('--user', 'eve', '--group', 'nurses', '--purpose', 'care', '--dataset', 'public.visits')).toBe('Permit');
    expect(await decide('--user', 'eve', '--group', 'nurses', '--dataset', 'public.visits')).toBe('Deny');
    expect(await decide('--user', 'eve', '--group', 'nurses', '--purpose', 'marketing', '--dataset', 'public.visits')).toBe('Deny');
    expect(await decide('--user', 'eve', '--group', 'porters', '--purpose', 'care', '--dataset', 'public.visits')).toBe('Deny');
  });

  it('a bad dataset or user name, an unknown action or domain: one clear line, non-zero, nothing changed', async () => {
    const before = await versions();
    const cases: [string[], number, RegExp][] = [
      [['rights', 'grant', domain, '--user', 'bob', '--dataset', 'Patients', '--actions', 'read'], 2, /dataset: schema\.table in lower case/],
      [['rights', 'grant', domain, '--user', 'bob smith', '--dataset', 'public.patients', '--actions', 'read'], 2, /subject name/],
      [['rights', 'grant', domain, '--user', 'bob', '--dataset', 'public.patients', '--actions', 'drop'], 2, /unknown action drop/],
      [['rights', 'grant', domain, '--user', 'bob', '--role', 'x', '--dataset', 'public.patients', '--actions', 'read'], 2, /exactly one of --user, --group or --role/],
      [['rights', 'grant', 'no-such-domain', '--user', 'bob', '--dataset', 'public.patients', '--actions', 'read'], 6, /domain not found/],
      [['rights', 'grant', 'clinic/nope', '--user', 'bob', '--dataset', 'public.patients', '--actions', 'read'], 6, /domain not found: clinic\/nope/],
    ];
    for (const [args, code, message] of cases) {
      const r = await owner.run(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), code]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(await versions()).toEqual(before);
  });

  // The row lock that serialises them matters with several replicas, i.e. on PostgreSQL (the API suite runs the same on SQLite).
  if (provider === 'postgresql') it('20 concurrent `safax rights grant` processes all end up in the managed policy', async () => {
    const users = Array.from({ length: 20 }, (_, i) => `u${i}`);
    const runs = await Promise.all(users.map((u) => owner.run(['--timeout', '150000', 'rights', 'grant', domain, '--user', u, '--dataset', 'public.labs', '--actions', 'read'])));
    expect(runs.map((r) => (r.code === 0 ? 0 : `${r.code} ${r.stderr}`))).toEqual(users.map(() => 0));
    const list = await owner.json<{ items: { subject: { name: string } }[] }>(['rights', 'list', domain, '--dataset', 'public.labs']);
    expect(list.items.map((r) => r.subject.name).sort()).toEqual([...users].sort());
    expect(await decide('--user', 'u7', '--dataset', 'public.labs')).toBe('Permit');
  }, 300_000);
});
