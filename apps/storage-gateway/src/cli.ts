/**
 * `safax-storage-gateway`: `serve` runs the gateway; `keys add|list|remove` manage its access
 * keys file. Built on commander; `run(argv, io)` takes its streams so tests drive it without
 * a terminal. Exit codes: 0 ok, 1 error, 2 usage.
 */
import { closeOnSignal, collect, fileOption, programFor, runProgram } from '@safax/service-kit';
import type { Command } from 'commander';
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

function keysFileOf(opts: { file?: string; config?: string }): string {
  return fileOption(
    opts,
    (path) => {
      const c = loadConfig(path);
      return resolvePath(c, c.keys.file);
    },
    'name the keys file with --file or the gateway configuration with --config',
  );
}

export function buildCli(io: CliIo): Command {
  const program = programFor('safax-storage-gateway', 'S3-compatible storage gateway whose every request SAFAX-TS decides', io);

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
      await closeOnSignal(server, log);
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

/** Runs the CLI; resolves to the exit code. */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runProgram(buildCli(io), argv, io.stderr);
}
