/** `safax-privacy-proxy`: users commands on a real file, --help, bad input, and `serve` with a user the CLI added. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { run } from '../src/cli';
import type { CliIo } from '../src/cli';
import { memoryLogger } from '../src/ops/logger';
import type { ProxyServer } from '../src/server';
import { createVerifier, parseVerifier, verifyClientProof } from '../src/users/scram';
import { createTestDatabase } from '../../api/test/support/test-database';

// The platform, PostgreSQL databases, psql and TLS handshakes are slow on a loaded machine; no timing is asserted.
jest.setTimeout(60_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'safax-proxy-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function io(stdin = '', env: NodeJS.ProcessEnv = {}, onServing?: (s: ProxyServer) => void) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const value: CliIo = { stdout: out, stderr: err, readStdin: async () => stdin, env, logger: memoryLogger(), ...(onServing !== undefined ? { onServing } : {}) };
  return { io: value, stdout: () => stdout, stderr: () => stderr };
}

describe('users commands', () => {
  it('adds a user with groups and roles as a SCRAM-SHA-256 verifier in a 0600 file, lists and removes it', async () => {
    const file = join(dir, 'users.json');
    const a = io('s3cret-password\n');
    expect(await run(['users', 'add', 'bob', '--file', file, '--group', 'doctors', '--group', 'oncology', '--role', 'attending', '--password-stdin'], a.io)).toBe(0);
    expect(a.stdout()).toBe('user bob added\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.users[0]).toMatchObject({ name: 'bob', groups: ['doctors', 'oncology'], roles: ['attending'], technical: false });
    expect(stored.users[0].scram).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(readFileSync(file, 'utf8')).not.toContain('s3cret-password');
    expect(parseVerifier(stored.users[0].scram)).toBeDefined();

    expect(await run(['users', 'add', 'partner-eu', '--file', file, '--technical'], io('', { SAFAX_PROXY_NEW_PASSWORD: 'another-password' }).io)).toBe(0);
    const l = io();
    expect(await run(['users', 'list', '--file', file, '--json'], l.io)).toBe(0);
    expect(JSON.parse(l.stdout())).toEqual([
      { name: 'bob', groups: ['doctors', 'oncology'], roles: ['attending'], technical: false },
      { name: 'partner-eu', groups: [], roles: [], technical: true },
    ]);
    expect(await run(['users', 'remove', 'bob', '--file', file], io().io)).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).users.map((u: { name: string }) => u.name)).toEqual(['partner-eu']);
  });

  it('refuses bad input with one clear line and changes nothing', async () => {
    const file = join(dir, 'users.json');
    await run(['users', 'add', 'bob', '--file', file, '--password-stdin'], io('first-password').io);
    const before = readFileSync(file, 'utf8');
    const cases: [string[], string, number, string][] = [
      [['users', 'add', 'bob', '--file', file, '--password-stdin'], 'x-password', 1, 'exists already'],
      [['users', 'add', 'Bad Name', '--file', file, '--password-stdin'], 'x-password', 1, 'invalid user name'],
      [['users', 'add', 'carol', '--file', file, '--password-stdin'], 'short', 1, 'at least 8'],
      [['users', 'add', 'carol', '--file', file], '', 2, '--password-stdin'],
      [['users', 'remove', 'nobody', '--file', file], '', 1, 'no user nobody'],
      [['users', 'list'], '', 2, '--file'],
      [['users', 'add', 'carol', '--bogus'], '', 2, "unknown option '--bogus'"],
    ];
    for (const [argv, stdin, code, text] of cases) {
      const c = io(stdin);
      expect(await run(argv, c.io)).toBe(code);
      expect(c.stderr()).toContain(text);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    writeFileSync(join(dir, 'broken.json'), '{"version":1,"users":[{"name":"x"}]}');
    const b = io();
    expect(await run(['users', 'list', '--file', join(dir, 'broken.json')], b.io)).toBe(1);
    expect(b.stderr()).toMatch(/users\.0\.scram/);
  });

  it('prints help', async () => {
    const h = io();
    expect(await run(['--help'], h.io)).toBe(0);
    expect(h.stdout()).toMatch(/serve/);
    expect(h.stdout()).toMatch(/users/);
    const u = io();
    expect(await run(['users', 'add', '--help'], u.io)).toBe(0);
    expect(u.stdout()).toMatch(/--technical/);
  });
});

describe('serve', () => {
  it('runs from a configuration file and authenticates a user added by the CLI (PDP unreachable: statements denied, harmless ones run)', async () => {
    const db = await createTestDatabase('postgresql', false);
    const users = join(dir, 'users.json');
    await run(['users', 'add', 'bob', '--file', users, '--password-stdin'], io('bobs-password').io);
    const config = join(dir, 'proxy.yaml');
    writeFileSync(config, `listen: { host: 127.0.0.1, port: 0 }
upstream: { host: 127.0.0.1, port: 5432, database: ${new URL(db.url).pathname.slice(1)}, user: postgres }
pdp: { url: "http://127.0.0.1:9/pdp/none", apiKey: { env: PDP_KEY }, timeoutMs: 300 }
protection: { key: { file: key.txt } }
users: { file: users.json }
`);
    writeFileSync(join(dir, 'key.txt'), 'a-protection-key-from-a-file\n');
    let server: ProxyServer | undefined;
    const s = io('', { PDP_KEY: 'sfx_unused_key_0123456789' }, (x) => (server = x));
    expect(await run(['serve', '--config', config], s.io)).toBe(0);
    const c = new Client({ host: '127.0.0.1', port: (server as ProxyServer).port, user: 'bob', password: 'bobs-password', database: new URL(db.url).pathname.slice(1) });
    try {
      await c.connect();
      expect((await c.query("SELECT 'ok' AS v")).rows).toEqual([{ v: 'ok' }]);
      await expect(c.query('SELECT * FROM pg_stat_activity')).rejects.toMatchObject({ code: '58000' });
    } finally {
      await c.end().catch(() => undefined);
      await server?.close();
      await db.drop();
    }
    expect(JSON.stringify((s.io.logger as ReturnType<typeof memoryLogger>).lines)).not.toContain('a-protection-key-from-a-file');
  });

  it('refuses an invalid configuration with the field at fault', async () => {
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'upstream: { host: 127.0.0.1, database: x, user: y }\npdp: { url: not-a-url }\nusers: { file: u.json }\nprotection: { key: { env: K } }\n');
    const c = io();
    expect(await run(['serve', '--config', config], c.io)).toBe(1);
    expect(c.stderr()).toMatch(/pdp\.url/);
  });
});

it('verifies SCRAM client proofs only for the right password', () => {
  // RFC 7677 test vector (user "user", password "pencil").
  const storedKey = 'WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=';
  const authMessage = 'n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
  expect(verifyClientProof(authMessage, 'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', storedKey)).toBe(true);
  expect(verifyClientProof(authMessage, 'eHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', storedKey)).toBe(false);
  // The verifier the CLI stores for that password and salt is the RFC's.
  expect(createVerifier('pencil', 4096, Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'))).toEqual({ iterations: 4096, salt: 'W22ZaJ0SNY7soEsUEjb6gQ==', storedKey, serverKey: 'wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=' });
});
