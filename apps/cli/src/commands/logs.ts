/** The decision log: tail (optionally following new entries) and export (csv or jsonl), paging the API. */
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { call } from '../contract/api-client';
import type { Schemas } from '../contract/api-client';
import { contextOf } from '../context';
import type { Ctx } from '../context';
import { CliError } from '../exit-codes';
import type { Io } from '../io';
import { domainIdOf } from '../resolve';

type Entry = Schemas['DecisionLogEntry'];
const DECISIONS = ['Permit', 'Deny', 'NotApplicable', 'Indeterminate', 'Mixed'] as const;
type DecisionFilter = (typeof DECISIONS)[number];

/** An ISO instant, or a duration back from now: 30s, 15m, 2h, 7d. */
export function parseSince(value: string, now = Date.now()): string {
  const rel = /^(\d+)([smhd])$/.exec(value);
  if (rel) {
    const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[rel[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now - Number(rel[1]) * unit).toISOString();
  }
  const t = Date.parse(value);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new CliError('usage', `not a time: ${value} (ISO 8601, or 30s, 15m, 2h, 7d)`);
  return new Date(t).toISOString();
}

function decisionOf(v: string | undefined): DecisionFilter | undefined {
  if (v === undefined) return undefined;
  if (!(DECISIONS as readonly string[]).includes(v)) throw new CliError('usage', `--decision: one of ${DECISIONS.join(', ')}`);
  return v as DecisionFilter;
}

function line(ctx: Ctx, e: Entry): string {
  const colour = e.decision === 'Permit' ? 'green' : e.decision === 'Deny' ? 'red' : 'yellow';
  return `${e.time}  ${ctx.out.paint(colour, e.decision.padEnd(13))}  ${e.txId}  caller=${e.callerId ?? '-'}  ${e.format}  ${e.policies.join(',') || '-'}  ${e.durationMs}ms`;
}

const CSV_COLUMNS = ['time', 'txId', 'decision', 'status', 'callerId', 'format', 'policies', 'obligations', 'durationMs'] as const;
function csvCell(v: unknown): string {
  const s = Array.isArray(v) ? v.join(' ') : v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export function csvRow(e: Entry): string {
  return CSV_COLUMNS.map((c) => csvCell(e[c])).join(',');
}

interface Query {
  decision?: DecisionFilter;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

async function page(ctx: Ctx, domainId: string, query: Query) {
  return call(ctx.conn().url, ctx.api().GET('/api/v1/domains/{domainId}/decisions', { params: { path: { domainId }, query } }));
}

export function registerLogs(program: Command, io: Io, signal: AbortSignal): void {
  const logs = program.command('logs').description('The decision log of a domain');
  logs
    .command('tail <domain>')
    .description('The latest decisions, oldest first; --follow keeps printing new ones')
    .option('-n, --lines <n>', 'how many', '20')
    .option('--decision <d>', `only ${DECISIONS.join('|')}`)
    .option('-f, --follow', 'keep polling for new decisions (Ctrl-C stops)')
    .option('--interval <ms>', 'poll interval with --follow', '1000')
    .addHelpText('after', '\nExample:\n  safax logs tail alice-data/AD1 -n 50 --follow')
    .action(async (ref: string, o: { lines: string; decision?: string; follow?: boolean; interval: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const n = Number(o.lines);
      const interval = Number(o.interval);
      if (!Number.isInteger(n) || n < 1 || n > 500) throw new CliError('usage', '--lines: 1 to 500');
      if (!Number.isInteger(interval) || interval < 50) throw new CliError('usage', '--interval: at least 50 ms');
      const decision = decisionOf(o.decision);
      const domainId = await domainIdOf(ctx, ref);
      const seen = new Set<string>();
      const emit = (entries: readonly Entry[]) => {
        for (const e of [...entries].reverse()) {
          if (seen.has(e.txId)) continue;
          seen.add(e.txId);
          if (ctx.out.json) io.out(`${JSON.stringify(e)}\n`);
          else io.out(`${line(ctx, e)}\n`);
        }
      };
      const first = await page(ctx, domainId, { limit: n, ...(decision ? { decision } : {}) });
      emit(first.items);
      if (!o.follow) return;
      let from = first.items[0]?.time;
      while (!signal.aborted) {
        await new Promise<void>((r) => {
          const t = setTimeout(r, interval);
          signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
        });
        if (signal.aborted) break;
        const next = await page(ctx, domainId, { limit: 500, ...(decision ? { decision } : {}), ...(from ? { from } : {}) });
        emit(next.items);
        if (next.items[0]) from = next.items[0].time;
      }
    });

  logs
    .command('export <domain>')
    .description('Export decisions (all pages) as CSV or JSON lines, oldest page last')
    .requiredOption('--since <time>', 'ISO 8601, or a duration back from now (30m, 2h, 7d)')
    .option('--until <time>', 'ISO 8601 or duration (default now)')
    .option('--format <f>', 'csv or jsonl', 'jsonl')
    .option('--decision <d>', `only ${DECISIONS.join('|')}`)
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .addHelpText('after', '\nExample:\n  safax logs export alice-data/AD1 --since 7d --format csv -o decisions.csv')
    .action(async (ref: string, o: { since: string; until?: string; format: string; decision?: string; out?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      if (o.format !== 'csv' && o.format !== 'jsonl') throw new CliError('usage', `--format: csv or jsonl, not ${o.format}`);
      const from = parseSince(o.since);
      const to = o.until !== undefined ? parseSince(o.until) : undefined;
      const decision = decisionOf(o.decision);
      const domainId = await domainIdOf(ctx, ref);
      let file: WriteStream | undefined;
      if (o.out !== undefined) {
        file = createWriteStream(resolve(io.cwd, o.out), { flags: 'w' });
        await new Promise<void>((res, rej) => {
          file?.once('open', () => res());
          file?.once('error', (e: NodeJS.ErrnoException) => rej(new CliError('bad-input', `cannot write ${o.out}: ${e.code ?? e.message}`)));
        });
      }
      const write = (s: string) => (file ? file.write(s) : io.out(s));
      if (o.format === 'csv') write(`${CSV_COLUMNS.join(',')}\n`);
      let cursor: string | undefined;
      let count = 0;
      let pages = 0;
      try {
        do {
          const p = await page(ctx, domainId, { limit: 500, from, ...(to ? { to } : {}), ...(decision ? { decision } : {}), ...(cursor ? { cursor } : {}) });
          for (const e of p.items) write(o.format === 'csv' ? `${csvRow(e)}\n` : `${JSON.stringify(e)}\n`);
          count += p.items.length;
          pages++;
          ctx.out.progress(`exported ${count} decision(s), ${pages} page(s)…`);
          cursor = p.nextCursor ?? undefined;
        } while (cursor !== undefined);
      } finally {
        if (file) await new Promise<void>((r) => file?.end(() => r()));
      }
      if (file) ctx.out.result({ exported: count, pages, file: o.out }, () => `exported ${count} decision(s) to ${o.out}`);
      else ctx.out.progress('');
    });
}
