/**
 * Configuration files as the consumer programs read them: YAML or JSON against a zod schema,
 * every problem named by its path, YAML aliases refused, paths relative to the file, secrets
 * from an environment variable or a file and never from the configuration itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfigFile, parseConfigText, readSecret, resolveFrom, secretRefSchema } from '../src';

const schema = z.object({ listen: z.object({ port: z.number().int() }), key: secretRefSchema }).strict();

describe('configuration files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'service-kit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses YAML and JSON into the schema', () => {
    expect(parseConfigText(schema, 'listen: { port: 5432 }\nkey: { env: PDP_KEY }\n')).toEqual({ listen: { port: 5432 }, key: { env: 'PDP_KEY' } });
    expect(parseConfigText(schema, '{"listen":{"port":1},"key":{"file":"k"}}', 'json')).toEqual({ listen: { port: 1 }, key: { file: 'k' } });
  });

  it('names every problem by its path, in one error', () => {
    const err = (() => {
      try {
        parseConfigText(schema, 'listen: { port: "x" }\nkey: {}\nextra: 1\n');
      } catch (e) {
        return e as Error;
      }
      throw new Error('accepted');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/listen\.port: /);
    expect(err.message).toMatch(/key: name an env variable or a file/);
    expect(err.message).toMatch(/\(root\): .*extra/);
  });

  it('refuses YAML aliases (no expansion) and text that is not YAML or JSON', () => {
    expect(() => parseConfigText(schema, 'a: &x [1]\nb: *x\n')).toThrow(ConfigError);
    expect(() => parseConfigText(schema, '{ not json', 'json')).toThrow(/not valid JSON/);
  });

  it('loads a file by its extension, with its directory for relative paths', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, '{"listen":{"port":2},"key":{"file":"secret.txt"}}');
    const loaded = loadConfigFile(file, (text, baseDir, format) => ({ ...parseConfigText(schema, text, format), baseDir, format }));
    expect(loaded).toMatchObject({ listen: { port: 2 }, baseDir: dir, format: 'json' });
    expect(resolveFrom(dir, 'secret.txt')).toBe(join(dir, 'secret.txt'));
    expect(resolveFrom(dir, '/etc/x')).toBe('/etc/x');
    expect(() => loadConfigFile(join(dir, 'missing.yaml'), () => 0)).toThrow(/cannot read .*missing\.yaml/);
  });

  it('reads a secret from its variable, else its file (newline dropped), and names what is missing', () => {
    writeFileSync(join(dir, 'secret.txt'), 'from-file\n');
    expect(readSecret(dir, { env: 'PDP_KEY', file: 'secret.txt' }, 'pdp.apiKey', { PDP_KEY: 'from-env' })).toBe('from-env');
    expect(readSecret(dir, { env: 'PDP_KEY', file: 'secret.txt' }, 'pdp.apiKey', {})).toBe('from-file');
    expect(() => readSecret(dir, { env: 'PDP_KEY' }, 'pdp.apiKey', {})).toThrow('pdp.apiKey: environment variable PDP_KEY is not set');
    expect(() => readSecret(dir, { file: 'nope.txt' }, 'protection.key', {})).toThrow(/protection\.key: cannot read .*nope\.txt/);
  });
});
