/**
 * The CLI as a process: help, usage errors, login file and its permissions, environment
 * overrides, unreachable server, JSON errors — each bad input one clear line and a non-zero
 * exit status from the documented table.
 */
import { statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_KEY, cli, removeBundle, startLivePlatform } from './support/cli-harness';
import type { LivePlatform } from './support/cli-harness';

jest.setTimeout(60_000);
const ESC = '\u001b[';

describe('safax basics (sqlite)', () => {
  let live: LivePlatform;
  beforeAll(async () => {
    live = await startLivePlatform('sqlite');
  });
  afterAll(async () => {
    await live.close();
    await removeBundle();
  });

  it('--help on the program and on a sub-command exits 0 and documents exit codes', async () => {
    const c = cli();
    const top = await c.run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/rights/);
    expect(top.stdout).toMatch(/Exit status: 0 ok/);
    const sub = await c.run(['rights', 'grant', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/--dataset <schema.table>/);
  });

  it('an unknown flag or command is one line on stderr and exit 2', async () => {
    const c = cli();
    for (const args of [['projects', 'list', '--bogus'], ['no-such-command'], ['rights', 'grant']]) {
      const r = await c.run(args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });

  it('without a login it says how to log in (exit 5)', async () => {
    const r = await cli().run(['projects', 'list']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/safax login/);
  });

  it('login checks the key, stores it with mode 0600, and whoami uses it; logout forgets it', async () => {
    const c = cli();
    const bad = await c.run(['login', '--url', live.url, '--key', 'sfx_wrong_key_000000000000000000']);
    expect([bad.code, bad.stderr]).toEqual([5, expect.stringMatching(/^safax: .+\n$/)]);
    const ok = await c.run(['login', '--url', live.url, '--key', ADMIN_KEY]);
    expect(ok.code).toBe(0);
    const mode = statSync(join(c.configDir, 'config.json')).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(statSync(c.configDir).mode & 0o077).toBe(0);
    const me = await c.json<{ name: string }>(['whoami']);
    expect(me.name).toBe('admin');
    expect((await c.run(['logout'])).code).toBe(0);
    expect((await c.run(['whoami'])).code).toBe(5);
  });

  it('SAFAX_URL and SAFAX_API_KEY override the login file', async () => {
    const c = cli();
    expect((await c.run(['login', '--url', live.url, '--key', ADMIN_KEY])).code).toBe(0);
    const r = await c.run(['whoami'], { env: { SAFAX_API_KEY: 'sfx_wrong_key_000000000000000000' } });
    expect(r.code).toBe(5);
    const env = cli({ SAFAX_URL: live.url, SAFAX_API_KEY: ADMIN_KEY });
    expect((await env.json<{ name: string }>(['whoami'])).name).toBe('admin');
  });

  it('an unreachable server is one line and exit 8; --json errors are one JSON object', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = cli({ SAFAX_URL: `http://127.0.0.1:${port}`, SAFAX_API_KEY: ADMIN_KEY });
    const r = await c.run(['projects', 'list']);
    expect(r.code).toBe(8);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    const j = await c.run(['--json', 'projects', 'list']);
    expect(j.code).toBe(8);
    expect(JSON.parse(j.stderr)).toEqual({ error: { code: 'unreachable', message: expect.stringMatching(/ECONNREFUSED/) } });
  });

  it('an unreadable file and an unknown domain are clear errors (exit 2, exit 6)', async () => {
    const c = cli({ SAFAX_URL: live.url, SAFAX_API_KEY: ADMIN_KEY });
    const missing = await c.run(['policies', 'deploy', 'some-domain', '/nonexistent/policy.xml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read \/nonexistent\/policy\.xml: ENOENT/);
    const dir = mkdtempSync(join(tmpdir(), 'safax-cli-'));
    writeFileSync(join(dir, 'p.xml'), '<Policy');
    const unknown = await c.run(['rights', 'list', 'no-such-domain']);
    expect(unknown.code).toBe(6);
    expect(unknown.stderr).toMatch(/domain not found/);
  });

  it('administration: principals, roles, keys, collaborators, domain and PDP settings', async () => {
    const admin = cli({ SAFAX_URL: live.url, SAFAX_API_KEY: ADMIN_KEY });
    const dora = await admin.json<{ principal: { id: string }; apiKey: string }>(['principals', 'create', 'dora', '--roles', 'domain-owner']);
    await admin.json(['principals', 'create', 'ed']);
    expect((await admin.json<{ roles: string[] }>(['principals', 'roles', 'ed', 'domain-owner,trust-service-provider'])).roles).toEqual(['domain-owner', 'trust-service-provider']);
    expect((await admin.run(['principals', 'create', 'x', '--roles', 'wizard'])).stderr).toMatch(/unknown role wizard/);
    const key = await admin.json<{ id: string; apiKey: string }>(['keys', 'create', 'dora', '--label', 'laptop']);
    expect((await admin.json<{ label: string }[]>(['keys', 'list', 'dora'])).map((k) => k.label).sort()).toEqual(['initial', 'laptop']);
    const asDora = cli({ SAFAX_URL: live.url, SAFAX_API_KEY: key.apiKey });
    expect((await asDora.json<{ name: string }>(['whoami'])).name).toBe('dora');
    expect((await admin.run(['keys', 'revoke', 'dora', key.id])).code).toBe(0);
    expect((await asDora.run(['whoami'])).code).toBe(5);
    const owner = cli({ SAFAX_URL: live.url, SAFAX_API_KEY: dora.apiKey });
    await owner.json(['projects', 'create', 'lab']);
    expect((await owner.json<{ collaborators: { name: string }[] }>(['projects', 'collaborators', 'add', 'lab', 'ed'])).collaborators.map((c) => c.name)).toEqual(['ed']);
    const d = await owner.json<{ id: string; publicPdp: boolean }>(['domains', 'create', 'lab', 'main']);
    expect((await owner.json<{ publicPdp: boolean }>(['domains', 'update', 'lab/main', '--public', 'true'])).publicPdp).toBe(true);
    expect((await owner.json<{ logDetail: string; rootCombiningAlgorithm: string }>(['pdp', 'set', d.id, '--log', 'none', '--algorithm', 'first-applicable']))).toMatchObject({ logDetail: 'none', rootCombiningAlgorithm: 'urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:first-applicable' });
    expect((await owner.run(['pdp', 'show', 'lab/main'])).stdout).toMatch(/logDetail\s+none/);
    expect(await owner.json(['pdp', 'set', 'lab/main', '--compat', 'true', '--log-retention-days', '30'])).toMatchObject({ compatibilityMode: true, logRetentionDays: 30 });
    expect(await owner.json(['pdp', 'set', 'lab/main', '--compat', 'false', '--log-retention-days', 'none'])).toMatchObject({ compatibilityMode: false, logRetentionDays: null });
    const badDays = await owner.run(['pdp', 'set', 'lab/main', '--log-retention-days', 'soon']);
    expect([badDays.code, badDays.stderr]).toEqual([2, expect.stringMatching(/--log-retention-days: an integer or none, not soon/)]);
    const stranger = await admin.json<{ apiKey: string }>(['principals', 'create', 'zed', '--roles', 'domain-owner']);
    const refused = await cli({ SAFAX_URL: live.url, SAFAX_API_KEY: stranger.apiKey }).run(['pdp', 'show', d.id]);
    // Another owner's domain answers like one that does not exist.
    expect([refused.code, refused.stderr]).toEqual([6, expect.stringMatching(/domain not found/)]);
    expect((await owner.json<{ collaborators: unknown[] }>(['projects', 'collaborators', 'remove', 'lab', 'ed'])).collaborators).toEqual([]);
    expect((await admin.run(['principals', 'delete', 'zed'])).code).toBe(0);
  }, 240_000); // some twenty processes in a row

  it('no colours when not a terminal, or with NO_COLOR', async () => {
    const c = cli({ SAFAX_URL: live.url, SAFAX_API_KEY: ADMIN_KEY });
    const r = await c.run(['projects', 'list', '--bogus']);
    expect(r.stderr).not.toContain(ESC);
    const forced = await c.run(['projects', 'list', '--bogus'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toContain(`${ESC}31m`);
    const off = await c.run(['projects', 'list', '--bogus'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(off.stderr).not.toContain(ESC);
  });
});
