/**
 * The shape the programs' command lines share (commander): output through the given streams,
 * errors as exit codes instead of process.exit (so tests can run the CLI in-process), usage
 * mistakes as exit code 2 with the help hint.
 */
import { Command, CommanderError } from 'commander';

export interface CliStreams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export function programFor(name: string, description: string, io: CliStreams): Command {
  return new Command(name)
    .description(description)
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError();
}

/** A mistake in how the command was called: exit code 2, the message on stderr. */
export function usageError(message: string): CommanderError {
  return new CommanderError(2, 'usage', message);
}

/** For a repeatable option: `.option('-g, --group <g>', '…', collect, [])`. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A file named with --file, or taken from the program's configuration named with --config. */
export function fileOption(opts: { file?: string; config?: string }, fromConfig: (configPath: string) => string, missing: string): string {
  if (opts.file !== undefined) return opts.file;
  if (opts.config !== undefined) return fromConfig(opts.config);
  throw usageError(missing);
}

/** Runs the program; resolves to the exit code: 0, 1 (failed, the error on stderr) or 2 (usage). */
export async function runProgram(program: Command, argv: readonly string[], stderr: NodeJS.WritableStream): Promise<number> {
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return 0;
      if (err.code === 'usage') stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
