/** One process starts any of the services from the command line. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..');

function start(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no start within 20 s: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('safax-trust-service CLI', () => {
  it('starts the credential service with a seed and answers', async () => {
    const { child, url } = await start(['credential', '--port', '0', '--seed', 'data/credential.seed.json']);
    try {
      const res = await fetch(`${url}/has-credential?user=charlie&credential=neurologist&issuer=mayo-clinic`);
      expect(await res.json()).toEqual({ result: true, chain: ['mayo-clinic'] });
      const d = (await (await fetch(`${url}/descriptor`)).json()) as { endpoint: string };
      expect(d.endpoint).toBe(`${url}/has-credential`);
    } finally {
      child.stdout!.removeAllListeners('data');
      child.removeAllListeners('exit');
      await stop(child);
    }
  }, 30_000);

  it('refuses an unknown service name', async () => {
    await expect(start(['weather'])).rejects.toThrow(/exited with 2/);
  }, 30_000);
});
