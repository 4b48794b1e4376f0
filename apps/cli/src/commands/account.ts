/** login, logout, whoami: the stored connection and who it is. */
import type { Command } from 'commander';
import { call, createApi } from '../contract/api-client';
import { configPath, removeLogin, writeLogin } from '../config-store';
import { contextOf } from '../context';
import { CliError } from '../exit-codes';
import type { Io } from '../io';

export function registerAccount(program: Command, io: Io): void {
  program
    .command('login')
    .description('Check a URL (--url) and API key against the server and store them (mode 0600)')
    .option('--key <apiKey>', 'the API key (default: SAFAX_API_KEY)')
    .addHelpText('after', '\nExample:\n  safax login --url http://localhost:8080 --key sfx_...')
    .action(async (opts: { key?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const apiKey = opts.key ?? io.env['SAFAX_API_KEY'];
      const given = cmd.optsWithGlobals<{ url?: string }>().url ?? io.env['SAFAX_URL'];
      if (!given) throw new CliError('usage', 'login needs --url (or SAFAX_URL)');
      if (!apiKey) throw new CliError('usage', 'login needs --key (or SAFAX_API_KEY)');
      let url: string;
      try {
        url = new URL(given).toString().replace(/\/+$/, '');
      } catch {
        throw new CliError('usage', `--url: not a URL: ${given}`);
      }
      const me = await call(url, createApi({ url, apiKey }, ctx.timeoutMs).GET('/api/v1/me'));
      const path = writeLogin(io, { url, apiKey });
      ctx.out.result({ url, principal: me, config: path }, () => `logged in to ${url} as ${me.name} (${me.roles.join(', ') || 'no roles'}); saved in ${path}`);
    });

  program
    .command('logout')
    .description('Forget the stored login')
    .action((_opts: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const removed = removeLogin(io);
      ctx.out.result({ removed, config: configPath(io) }, () => (removed ? `removed ${configPath(io)}` : 'not logged in'));
    });

  program
    .command('whoami')
    .description('The principal the current key belongs to')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const me = await call(ctx.conn().url, ctx.api().GET('/api/v1/me'));
      ctx.out.result(me, () => `${me.name} (${me.id}) at ${ctx.conn().url}; roles: ${me.roles.join(', ') || '-'}`);
    });
}
