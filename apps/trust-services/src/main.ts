#!/usr/bin/env node
/**
 * Command line: `safax-trust-service <credential|reputation|alignment> [options]`
 *   --port N            port (default 0 = any free port)
 *   --host H            interface (default 127.0.0.1)
 *   --seed FILE         JSON seed for the in-memory store
 *   --write-token T     bearer token required for writes (or env TRUST_SERVICE_WRITE_TOKEN)
 *   --public-url URL    base URL the platform should call (default http://host:port)
 *   --id ID             service id in the repository
 *   --register URL      register with the SAFAX-TS API at URL (API key from --api-key or env SAFAX_API_KEY)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { registerService } from './common/register-service';
import { SERVICE_NAMES, type ServiceName } from './services';
import { startTrustService } from './start';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: safax-trust-service <${SERVICE_NAMES.join('|')}> [--port N] [--host H] [--seed FILE] [--write-token T] [--public-url URL] [--id ID] [--register API_URL --api-key KEY]\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'write-token': { type: 'string' },
      'public-url': { type: 'string' },
      id: { type: 'string' },
      'provider-id': { type: 'string' },
      register: { type: 'string' },
      'api-key': { type: 'string' },
    },
  });
  const name = positionals[0];
  if (!SERVICE_NAMES.includes(name as ServiceName)) usage(`unknown service "${name ?? ''}"`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage('--port must be 0-65535');
  const seed: unknown = values.seed ? JSON.parse(readFileSync(values.seed, 'utf8')) : {};
  const writeToken = values['write-token'] ?? process.env.TRUST_SERVICE_WRITE_TOKEN;

  const running = await startTrustService(name as ServiceName, {
    port,
    seed,
    ...(values.host ? { host: values.host } : {}),
    ...(writeToken ? { writeToken } : {}),
    ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
    ...(values.id ? { id: values.id } : {}),
    ...(values['provider-id'] ? { providerId: values['provider-id'] } : {}),
  });
  process.stdout.write(`${name} service listening on ${running.url}\n`);

  if (values.register) {
    const apiKey = values['api-key'] ?? process.env.SAFAX_API_KEY;
    if (!apiKey) usage('--register needs --api-key or SAFAX_API_KEY');
    const r = await registerService({ apiUrl: values.register, apiKey }, running.descriptor);
    if (r.ok) process.stdout.write(`registered ${running.descriptor.id} (${r.action}) at ${values.register}\n`);
    else process.stderr.write(`registration failed (HTTP ${r.status}): ${r.message}\n`);
  }

  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
