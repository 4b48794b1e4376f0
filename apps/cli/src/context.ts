/** What every command's action gets: IO, output, and the API (connection resolved on first use). */
import type { Command } from 'commander';
import { createApi } from './contract/api-client';
import type { Api } from './contract/api-client';
import { resolveConnection } from './config-store';
import type { Connection } from './config-store';
import { CliError } from './exit-codes';
import { colorsWanted } from './io';
import type { Io } from './io';
import { createOutput } from './output';
import type { Output } from './output';

export interface GlobalOptions {
  readonly url?: string;
  readonly json?: boolean;
  readonly color?: boolean;
  readonly timeout?: string;
}

export interface Ctx {
  readonly io: Io;
  readonly out: Output;
  readonly timeoutMs: number;
  conn(): Connection;
  api(): Api;
}

export function contextOf(io: Io, cmd: Command): Ctx {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const out = createOutput(io, { json: g.json === true, color: colorsWanted(io, g.color) });
  const timeoutMs = g.timeout !== undefined ? Number(g.timeout) : 30_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new CliError('usage', `--timeout: a positive number of milliseconds, not ${g.timeout}`);
  let conn: Connection | undefined;
  let api: Api | undefined;
  const connOnce = () => (conn ??= resolveConnection(io, { url: g.url }));
  return {
    io,
    out,
    timeoutMs,
    conn: connOnce,
    api: () => (api ??= createApi(connOnce(), timeoutMs)),
  };
}
