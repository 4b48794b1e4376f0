/**
 * `safax-storage-gateway`: `serve` runs the gateway; `keys add|list|remove` manage its access
 * keys file. Built on commander; `run(argv, io)` takes its streams so tests drive it without
 * a terminal. Exit codes: 0 ok, 1 error, 2 usage.
 */
import { Command, CommanderError } from 'commander';
import { generateAccessKey, isValidUserName, readKeysFile, writeKeysFile } from './auth/access-keys';
import { loadConfig, redactedConfig, resolvePath } from './config/gateway-config';
import { createLogger } from './ops/logger';
import type { Logger } from './ops/logger';
import { startGateway } from './server';
import type { GatewayServer } from './server';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  /** Called once the server is listening (tests); the server runs until a signal otherwise. */
  onServing?(server: GatewayServer): void;
  readonly logger?: Logger;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function keysFileOf(opts: { file?: string; config?: string }): string {
  if (opts.file !== undefined) return opts.file;
  if (opts.config !== undefined) {
    const c = loadConfig(opts.config);
    return resolvePath(c, c.keys.file);
  }
  throw new CommanderError(2, 'usage', 'name the keys file with --file or the gateway configuration with --config');
}

export function buildCli(io: CliIo): Command {
  const program = new Command('safax-storage-gateway')
    .description('S3-compatible storage gateway whose every request SAFAX-TS decides')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the gateway')
    .requiredOption('-c, --config <file>', 'configuration file (YAML or JSON)')
    .action(async (opts: { config: string }) => {
      const config = loadConfig(opts.config);
      const log = io.logger ?? createLogger(config.log.level);
      log.info({ config: redactedConfig(config), event: 'config' }, 'configuration loaded');
      const server = await startGateway(config, { log, env: io.env });
      if (io.onServing !== undefined) {
        io.onServing(server);
        return;
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          log.info({ event: 'signal' }, 'shutting down');
          void server.close().then(resolve);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });

  const keys = program.command('keys').description("manage the gateway's access keys (the keys file)");
  const fileOptions = (c: Command) => c.option('-f, --file <keys.json>', 'keys file').option('-c, --config <file>', 'take the keys file from this configuration');

  fileOptions(keys.command('add <user>').description('create an access key for a user; prints the key id and secret once'))
    .option('-g, --group <group>', 'a group of the user (repeatable)', collect, [])
    .option('--json', 'print the new key as JSON')
    .action((user: string, opts: { file?: string; config?: string; group: string[]; json?: boolean }) => {
      if (!isValidUserName(user)) throw new Error(`invalid user name "${user}": 1-128 letters, digits, _ . @ -`);
      const path = keysFileOf(opts);
      const list = readKeysFile(path);
      const key = generateAccessKey(user, opts.group);
      writeKeysFile(path, [...list, key]);
      if (opts.json === true) io.stdout.write(`${JSON.stringify(key)}\n`);
      else io.stdout.write(`user ${user}\naccess key id:     ${key.accessKeyId}\nsecret access key: ${key.secretAccessKey}\n`);
    });

  fileOptions(keys.command('list').description('list access key ids, users and groups (never secrets)')).action((opts: { file?: string; config?: string }) => {
    for (const k of readKeysFile(keysFileOf(opts))) io.stdout.write(`${k.accessKeyId}\t${k.user}\t${k.groups.join(',')}\n`);
  });

  fileOptions(keys.command('remove <accessKeyId>').description('revoke an access key')).action((id: string, opts: { file?: string; config?: string }) => {
    const path = keysFileOf(opts);
    const list = readKeysFile(path);
    if (!list.some((k) => k.accessKeyId === id)) throw new Error(`no access key ${id}`);
    writeKeysFile(path, list.filter((k) => k.accessKeyId !== id));
    io.stdout.write(`access key ${id} removed\n`);
  });

  return program;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildCli(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
      if (err.code === 'usage') io.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
