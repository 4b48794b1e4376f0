/**
 * `safax-privacy-proxy`: `serve` runs the proxy; `users add|passwd|remove|list` manage its
 * users file. Built on commander; `run(argv, io)` takes its streams so tests drive it without
 * a terminal. Exit codes: 0 ok, 1 error, 2 usage.
 */
import { closeOnSignal, collect, fileOption, programFor, runProgram, usageError } from '@safax/service-kit';
import { Option } from 'commander';
import type { Command } from 'commander';
import { loadConfig, redactedConfig, resolvePath } from './config/proxy-config';
import { createLogger } from './ops/logger';
import type { Logger } from './ops/logger';
import { createPepDecisionPort } from './policy/pep-decision-port';
import { readSecret } from './config/proxy-config';
import { startProxy } from './server';
import type { ProxyServer } from './server';
import { createVerifier, formatVerifier } from './users/scram';
import { isValidUserName, readUsersFile, writeUsersFile } from './users/users-file';
import type { UserRecord } from './users/users-file';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Reads the whole standard input (the new password, for --password-stdin). */
  readStdin(): Promise<string>;
  readonly env: NodeJS.ProcessEnv;
  /** Called once the server is listening (tests); the server runs until a signal otherwise. */
  onServing?(server: ProxyServer): void;
  /** Logger for `serve` (default: JSON lines on stdout). */
  readonly logger?: Logger;
}

function usersFileOf(opts: { file?: string; config?: string }): string {
  return fileOption(
    opts,
    (path) => {
      const c = loadConfig(path);
      return resolvePath(c, c.users.file);
    },
    'name the users file with --file or the proxy configuration with --config',
  );
}

async function readPassword(io: CliIo, opts: { passwordStdin?: boolean }): Promise<string> {
  const fromEnv = io.env.SAFAX_PROXY_NEW_PASSWORD;
  const raw = opts.passwordStdin === true ? await io.readStdin() : fromEnv;
  if (raw === undefined) throw usageError('give the password on standard input with --password-stdin (or in SAFAX_PROXY_NEW_PASSWORD)');
  const password = raw.replace(/\r?\n$/, '');
  if (password.length < 8) throw new Error('the password must have at least 8 characters');
  if (password.length > 1024) throw new Error('the password must have at most 1024 characters');
  return password;
}

export function buildCli(io: CliIo): Command {
  const program = programFor('safax-privacy-proxy', 'CLARUS privacy proxy: a PostgreSQL-protocol PEP on SAFAX-TS', io);

  program
    .command('serve')
    .description('run the proxy')
    .requiredOption('-c, --config <file>', 'configuration file (YAML or JSON)')
    .action(async (opts: { config: string }) => {
      const config = loadConfig(opts.config);
      const log = io.logger ?? createLogger(config.log.level);
      log.info({ config: redactedConfig(config), event: 'config' }, 'configuration loaded');
      const server = await startProxy(config, {
        log,
        env: io.env,
        decisionPort: (c) =>
          createPepDecisionPort({
            pdpUrl: c.pdp.url,
            ...(c.pdp.apiKey !== undefined ? { apiKey: readSecret(c, c.pdp.apiKey, 'pdp.apiKey', io.env) } : {}),
            format: c.pdp.format,
            timeoutMs: c.pdp.timeoutMs,
            cache: c.pdp.cache,
            ...(c.pdp.breaker !== undefined ? { breaker: c.pdp.breaker } : {}),
          }),
      });
      if (io.onServing !== undefined) {
        io.onServing(server);
        return;
      }
      await closeOnSignal(server, log);
    });

  const users = program.command('users').description("manage the proxy's users (SCRAM-SHA-256 verifiers in the users file)");
  const fileOptions = (c: Command) => c.option('-f, --file <users.json>', 'users file').option('-c, --config <file>', 'take the users file from this configuration');

  fileOptions(users.command('add <name>').description('register a user (the password is read from standard input with --password-stdin)'))
    .option('-g, --group <group>', 'a group of the user (repeatable)', collect, [])
    .option('-r, --role <role>', 'a role of the user (repeatable)', collect, [])
    .option('--technical', 'a technical user: another proxy that relays on behalf of its users')
    .option('--password-stdin', 'read the password from standard input')
    .addOption(new Option('--iterations <n>', 'PBKDF2 iterations').default('4096'))
    .action(async (name: string, opts: { file?: string; config?: string; group: string[]; role: string[]; technical?: boolean; passwordStdin?: boolean; iterations: string }) => {
      if (!isValidUserName(name)) throw new Error(`invalid user name "${name}": 1-63 characters, lower-case letters, digits, _ . -`);
      const iterations = Number(opts.iterations);
      if (!Number.isInteger(iterations) || iterations < 4096 || iterations > 1_000_000) throw new Error('--iterations must be an integer from 4096 to 1000000');
      const path = usersFileOf(opts);
      const list = readUsersFile(path);
      if (list.some((u) => u.name === name)) throw new Error(`user ${name} exists already (use "users passwd" to change the password)`);
      const password = await readPassword(io, opts);
      const record: UserRecord = { name, scram: formatVerifier(createVerifier(password, iterations)), groups: opts.group, roles: opts.role, technical: opts.technical === true };
      writeUsersFile(path, [...list, record]);
      io.stdout.write(`user ${name} added${record.technical ? ' (technical)' : ''}\n`);
    });

  fileOptions(users.command('passwd <name>').description("change a user's password (read from standard input with --password-stdin)"))
    .option('--password-stdin', 'read the password from standard input')
    .action(async (name: string, opts: { file?: string; config?: string; passwordStdin?: boolean }) => {
      const path = usersFileOf(opts);
      const list = readUsersFile(path);
      const i = list.findIndex((u) => u.name === name);
      if (i < 0) throw new Error(`no user ${name}`);
      const password = await readPassword(io, opts);
      const next = list.map((u, k) => (k === i ? { ...u, scram: formatVerifier(createVerifier(password)) } : u));
      writeUsersFile(path, next);
      io.stdout.write(`password of ${name} changed\n`);
    });

  fileOptions(users.command('remove <name>').description('remove a user')).action((name: string, opts: { file?: string; config?: string }) => {
    const path = usersFileOf(opts);
    const list = readUsersFile(path);
    if (!list.some((u) => u.name === name)) throw new Error(`no user ${name}`);
    writeUsersFile(
      path,
      list.filter((u) => u.name !== name),
    );
    io.stdout.write(`user ${name} removed\n`);
  });

  fileOptions(users.command('list').description('list users (never their verifiers)'))
    .option('--json', 'JSON output')
    .action((opts: { file?: string; config?: string; json?: boolean }) => {
      const list = readUsersFile(usersFileOf(opts)).map((u) => ({ name: u.name, groups: u.groups, roles: u.roles, technical: u.technical }));
      if (opts.json === true) io.stdout.write(`${JSON.stringify(list)}\n`);
      else for (const u of list) io.stdout.write(`${u.name}${u.technical ? ' [technical]' : ''}  groups: ${u.groups.join(',') || '-'}  roles: ${u.roles.join(',') || '-'}\n`);
    });
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runProgram(buildCli(io), argv, io.stderr);
}
