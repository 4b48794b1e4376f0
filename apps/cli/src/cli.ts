/**
 * The `safax` program: commander with global flags (--url, --json, --no-color, --timeout),
 * one module per command group, and one place that turns every failure into one line (or one
 * JSON object) and an exit status (exit-codes.ts).
 */
import { Command, CommanderError } from 'commander';
import { registerAccount } from './commands/account';
import { registerAdmin } from './commands/admin';
import { registerDecide } from './commands/decide';
import { registerLogs } from './commands/logs';
import { registerPolicies } from './commands/policies';
import { registerRights } from './commands/rights';
import { registerServices } from './commands/services';
import { registerTest } from './commands/test';
import { CliError, EXIT } from './exit-codes';
import { colorsWanted } from './io';
import type { Io } from './io';
import { createOutput } from './output';

export const VERSION = '0.1.0';

export function buildProgram(io: Io, signal: AbortSignal): Command {
  const program = new Command('safax')
    .description('SAFAX-TS command line: administration, policies and policy tests, dataset rights, decisions and logs')
    .version(VERSION)
    .option('--url <url>', 'the SAFAX-TS installation (default: SAFAX_URL, then the login)')
    .option('--json', 'print results (and errors, on stderr) as JSON')
    .option('--no-color', 'no colours (also: NO_COLOR, or output not a terminal)')
    .option('--timeout <ms>', 'timeout of each request in milliseconds (default 30000)')
    .showHelpAfterError(false)
    .addHelpText('after', '\nAuthentication: safax login --url URL --key KEY, or SAFAX_URL and SAFAX_API_KEY.\nExit status: 0 ok, 1 error, 2 usage or bad input, 3 invalid policy, 4 tests failed, 5 not authenticated or not permitted, 6 not found, 7 conflict, 8 server unreachable.');
  registerAccount(program, io);
  registerAdmin(program, io);
  registerServices(program, io);
  registerPolicies(program, io);
  registerTest(program, io);
  registerRights(program, io);
  registerLogs(program, io, signal);
  registerDecide(program, io);
  // Every command (sub-commands included) reports usage errors through us, not by exiting.
  const configure = (c: Command) => {
    c.exitOverride();
    c.configureOutput({ writeOut: (s) => io.out(s), writeErr: () => undefined, outputError: () => undefined });
    for (const sub of c.commands) configure(sub);
  };
  configure(program);
  return program;
}

/** Runs the CLI on argv (without node and script) and returns the exit status. */
export async function runCli(argv: readonly string[], io: Io, signal: AbortSignal = new AbortController().signal): Promise<number> {
  const json = argv.includes('--json');
  const out = createOutput(io, { json, color: colorsWanted(io, argv.includes('--no-color') ? false : undefined) });
  const program = buildProgram(io, signal);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      if (e.code === 'commander.executeSubCommandAsync') return EXIT.ok;
      const message = e.message.replace(/^error: /, '');
      out.error(new CliError('usage', `${message} (see safax --help)`));
      return EXIT.usage;
    }
    if (e instanceof CliError) {
      out.error(e);
      return e.exitCode;
    }
    out.error(new CliError('error', `unexpected error: ${e instanceof Error ? e.message : String(e)}`));
    return EXIT.error;
  }
}
