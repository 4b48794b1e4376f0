/**
 * The program as deployed: `keys add|list|remove` on a keys file, bad configurations refused
 * with the problem named, and `serve --config` answering S3 — with its PDP-URL unreachable
 * here, so every request is AccessDenied (fail closed), which needs no platform to show.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { run } from '../src/cli';
import type { CliIo } from '../src/cli';
import { memoryLogger } from '../src/ops/logger';
import type { GatewayServer } from '../src/server';
import { errorOf, REGION } from './support/gateway-harness';

function io(env: NodeJS.ProcessEnv = {}, onServing?: (s: GatewayServer) => void): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { stdout, stderr, env, logger: memoryLogger(), ...(onServing ? { onServing } : {}), out: () => out, err: () => err };
}

describe('safax-storage-gateway', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sgw-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('manages access keys in a 0600 file, never printing secrets in listings', async () => {
    const file = join(dir, 'keys.json');
    const add = io();
    expect(await run(['keys', 'add', 'alice', '--group', 'photographers', '--json', '--file', file], add)).toBe(0);
    const key = JSON.parse(add.out()) as { accessKeyId: string; secretAccessKey: string };
    expect(key.accessKeyId).toMatch(/^SGW[A-Z2-7]{17}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const list = io();
    expect(await run(['keys', 'list', '--file', file], list)).toBe(0);
    expect(list.out()).toBe(`${key.accessKeyId}\talice\tphotographers\n`);
    expect(list.out()).not.toContain(key.secretAccessKey);
    const bad = io();
    expect(await run(['keys', 'add', '../root', '--file', file], bad)).toBe(1);
    expect(bad.err()).toMatch(/invalid user name/);
    expect(await run(['keys', 'remove', key.accessKeyId, '--file', file], io())).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, keys: [] });
    expect(await run(['keys', 'list'], io())).toBe(2);
  });

  it('refuses a bad configuration, naming the problem', async () => {
    const conf = join(dir, 'bad.yaml');
    writeFileSync(conf, 'keys: { file: keys.json }\nbackend: { type: ftp }\npdp: { url: not-a-url }\n');
    const r = io();
    expect(await run(['serve', '--config', conf], r)).toBe(1);
    expect(r.err()).toMatch(/backend\.type/);
    expect(r.err()).toMatch(/pdp\.url/);
  });

  it('serves S3 from a configuration file and fails closed without its PDP', async () => {
    const file = join(dir, 'serve-keys.json');
    const add = io();
    await run(['keys', 'add', 'alice', '--json', '--file', file], add);
    const key = JSON.parse(add.out()) as { accessKeyId: string; secretAccessKey: string };
    const conf = join(dir, 'gateway.yaml');
    writeFileSync(conf, ['listen: { host: 127.0.0.1, port: 0 }', 'keys: { file: serve-keys.json }', 'backend: { type: local, root: data }', 'pdp:', '  url: http://127.0.0.1:9/pdp/unreachable', '  apiKey: { env: GW_PDP_KEY }', '  timeoutMs: 500', 'limits: { shutdownGraceMs: 100 }', ''].join('\n'));
    let server: GatewayServer | undefined;
    expect(await run(['serve', '--config', conf], io({ GW_PDP_KEY: 'k' }, (s) => (server = s)))).toBe(0);
    const s3 = new S3Client({ endpoint: `http://127.0.0.1:${server!.port}`, forcePathStyle: true, region: REGION, maxAttempts: 1, credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } });
    try {
      await server!.services.backend.createBucket('bbb', 'alice');
      // No decision, no bucket: the listing hides it and every operation is refused.
      expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
      const e = await errorOf(s3.send(new CreateBucketCommand({ Bucket: 'ccc' })));
      expect([e.name, e.message]).toEqual(['AccessDenied', expect.stringMatching(/no decision from SAFAX-TS \((network|timeout)\)/)]);
    } finally {
      s3.destroy();
      await server!.close();
    }
    const noKey = io({});
    expect(await run(['serve', '--config', conf], noKey)).toBe(1);
    expect(noKey.err()).toMatch(/GW_PDP_KEY is not set/);
  });
});
