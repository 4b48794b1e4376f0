/**
 * Drives the real `safax` executable against a real platform: the platform (apps/api's test
 * platform) listens on an ephemeral loopback port, and the CLI runs as a child process from
 * one esbuild bundle of apps/cli/src (built once per test file, ~0.3 s, so each command starts
 * as fast as `node dist/main.js` would).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import type { DatabaseProvider } from '../../../api/src/db/database-url';
import { startTestPlatform } from '../../../api/test/support/test-platform';
import type { TestPlatform } from '../../../api/test/support/test-platform';

const REPO = join(__dirname, '..', '..', '..', '..');
export const ADMIN_KEY = 'sfx_test_admin_key_0123456789abcdef';

let bundlePath: Promise<string> | undefined;

/** Third-party packages stay external (resolved from node_modules at run time); our sources are bundled. */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@safax/') ? undefined : { path: args.path, external: true }));
  },
};

export function cliBundle(): Promise<string> {
  bundlePath ??= buildBundle();
  return bundlePath;
}

async function buildBundle(): Promise<string> {
  // Inside node_modules: ignored by git and lint, and the externals resolve from there.
  const dir = join(REPO, 'node_modules', '.cache', 'safax-cli');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `safax-${process.pid}.cjs`);
  await build({
    entryPoints: [join(REPO, 'apps', 'cli', 'src', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: out,
    tsconfig: join(REPO, 'tsconfig.json'),
    plugins: [externalPackages],
    logLevel: 'error',
  });
  return out;
}

export async function removeBundle(): Promise<void> {
  if (bundlePath) rmSync(await bundlePath, { force: true });
  bundlePath = undefined;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Cli {
  /** Runs `safax ...args` with this CLI's config folder and environment. */
  run(args: readonly string[], opts?: { env?: Record<string, string>; cwd?: string }): Promise<RunResult>;
  /** Runs and parses stdout as JSON (adds --json); fails the test with stderr when the exit status is not 0. */
  json<T = Record<string, unknown>>(args: readonly string[], opts?: { env?: Record<string, string>; cwd?: string }): Promise<T>;
  readonly configDir: string;
}

export function cli(baseEnv: Record<string, string> = {}): Cli {
  const configDir = mkdtempSync(join(tmpdir(), 'safax-cli-config-'));
  const run: Cli['run'] = async (args, opts = {}) => {
    const bundle = await cliBundle();
    return new Promise((resolve) => {
      const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: configDir, SAFAX_CONFIG_DIR: configDir, ...baseEnv, ...(opts.env ?? {}) };
      execFile(process.execPath, [bundle, ...args], { env, cwd: opts.cwd ?? REPO, timeout: 170_000, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  };
  return {
    configDir,
    run,
    json: async (args, opts) => {
      const r = await run(['--json', ...args], opts);
      if (r.code !== 0) throw new Error(`safax ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout) as never;
    },
  };
}

export interface LivePlatform {
  readonly url: string;
  readonly t: TestPlatform;
  close(): Promise<void>;
}

/** The platform listening on 127.0.0.1:<ephemeral>, its PDP-URLs pointing there. */
export async function startLivePlatform(provider: DatabaseProvider): Promise<LivePlatform> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const t = await startTestPlatform(provider, { publicBaseUrl: url });
  server.on('request', t.platform.app);
  return {
    url,
    t,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await t.close();
    },
  };
}

export const REPO_ROOT = REPO;
