/**
 * Policies (PAP): deploy a folder or files in ONE all-or-nothing upload, validate, list
 * versions, diff two versions, activate, roll back, export the active set.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { call } from '../contract/api-client';
import type { Schemas } from '../contract/api-client';
import { contextOf } from '../context';
import type { Ctx } from '../context';
import { CliError } from '../exit-codes';
import { expandFiles, readText } from '../files';
import type { Io } from '../io';
import { table } from '../output';
import { domainIdOf } from '../resolve';

export interface PolicyFile {
  readonly name: string;
  readonly text: string;
}

/** Reads the files (folders walked for *.xml), showing progress; unreadable input is one error. */
export function readPolicyFiles(ctx: Ctx, args: readonly string[]): PolicyFile[] {
  const names = expandFiles(args, ctx.io.cwd, /\.xml$/i);
  if (names.length === 0) throw new CliError('bad-input', `no .xml policy files in ${args.join(', ')}`);
  return names.map((name, i) => {
    ctx.out.progress(`reading ${i + 1}/${names.length} ${name}`);
    return { name, text: readText(name, ctx.io.cwd) };
  });
}

/** Every document's own problems (syntax, not a Policy/PolicySet), each naming its file. */
export async function inspectFiles(files: readonly PolicyFile[]): Promise<{ file: string; message: string }[]> {
  // The engine is loaded only by the commands that need it (start-up time of every other command).
  const { XacmlError, inspectPolicy } = await import('@safax/xacml');
  const problems: { file: string; message: string }[] = [];
  for (const f of files) {
    try {
      inspectPolicy(f.text);
    } catch (e) {
      if (e instanceof XacmlError) problems.push({ file: f.name, message: e.message });
      else throw e;
    }
  }
  return problems;
}

function invalid(problems: readonly { file: string; message: string }[]): CliError {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more file(s) with errors)` : '';
  return new CliError('invalid-policy', `invalid policy ${first?.file ?? ''}: ${first?.message ?? ''}${more}`, { problems });
}

async function policyText(ctx: Ctx, domainId: string, policyId: string, version: string): Promise<string> {
  const v = await call(ctx.conn().url, ctx.api().GET('/api/v1/domains/{domainId}/policies/{policyId}/versions/{version}', { params: { path: { domainId, policyId, version } }, headers: { Accept: 'application/json' } }));
  return typeof v === 'string' ? v : v.text;
}

/** Compatibility-mode leniencies, one line each (nothing in strict mode). */
function warningLines(warnings: readonly { code: string; message: string; line?: number }[] | undefined): string[] {
  if (!warnings || warnings.length === 0) return [];
  return [`${warnings.length} compatibility warning(s) (strict mode refuses these):`, ...warnings.map((w) => `  warning ${w.code}${w.line !== undefined ? ` (line ${w.line})` : ''}: ${w.message}`)];
}

function fileNameFor(policyId: string, version: string): string {
  return `${policyId.replace(/[^A-Za-z0-9._-]+/g, '_')}-v${version}.xml`;
}

export function registerPolicies(program: Command, io: Io): void {
  const policies = program.command('policies').description('Policies of a domain (PAP): deploy, validate, versions, diff, activate, rollback, export');

  policies
    .command('deploy <domain> <paths...>')
    .description('Upload policy files or folders (*.xml) in one all-or-nothing batch')
    .option('--no-activate', 'store the versions without making them active')
    .option('--dry-run', 'run every check of the upload, store nothing')
    .addHelpText('after', '\nEvery file is checked first; one invalid file stops the deploy with nothing stored.\nExample:\n  safax policies deploy alice-data/AD1 policies/ad1/')
    .action(async (ref: string, paths: string[], o: { activate: boolean; dryRun?: boolean }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const files = readPolicyFiles(ctx, paths);
      const problems = await inspectFiles(files);
      if (problems.length > 0) throw invalid(problems);
      const domainId = await domainIdOf(ctx, ref);
      const body = { policies: files.map((f) => ({ text: f.text, name: f.name })), activate: o.activate };
      ctx.out.progress(`${o.dryRun ? 'validating' : 'uploading'} ${files.length} document(s)`);
      if (o.dryRun) {
        const v = await call(ctx.conn().url, ctx.api().POST('/api/v1/domains/{domainId}/policies/validate', { params: { path: { domainId } }, body }));
        if (!v.ok) throw new CliError('invalid-policy', `${v.error?.message ?? 'invalid'}`, v);
        ctx.out.result(v, () => [`dry run: ${files.length} document(s) would deploy: ${(v.documents ?? []).map((d) => `${d.policyId} v${d.version}`).join(', ')}`, ...warningLines(v.warnings)].join('\n'));
        return;
      }
      const r = await call(ctx.conn().url, ctx.api().POST('/api/v1/domains/{domainId}/policies', { params: { path: { domainId } }, body }));
      ctx.out.result(r, () => [
        `deployed ${r.uploaded.length} document(s)${r.deployment ? ` as deployment ${r.deployment.number}` : ' (not activated)'}:`,
        ...r.uploaded.map((u) => `  ${u.policyId} v${u.version} (${u.kind})`),
        ...warningLines(r.warnings),
      ].join('\n'));
    });

  policies
    .command('validate <paths...>')
    .description('Check policy files: locally (parse and compile together), or as an upload to a domain would (--domain)')
    .option('--domain <domain>', 'run the upload\'s checks against this domain (its PDP configuration and active set)')
    .option('--compat', 'locally: compile in compatibility mode and list each leniency applied (with --domain, the domain\'s PDP configuration decides)')
    .action(async (paths: string[], o: { domain?: string; compat?: boolean }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const files = readPolicyFiles(ctx, paths);
      const problems = await inspectFiles(files);
      if (problems.length > 0) throw invalid(problems);
      if (o.domain === undefined) {
        const { XacmlError, compilePdp } = await import('@safax/xacml');
        try {
          const pdp = compilePdp(files.map((f) => ({ text: f.text, name: f.name })), o.compat ? { compatibility: true } : {});
          const warnings = pdp.warnings.map((w) => ({ code: w.code, message: w.message, path: w.path, ...(w.line !== undefined ? { line: w.line } : {}), ...(w.strictCode ? { strictCode: w.strictCode } : {}) }));
          ctx.out.result({ ok: true, files: files.map((f) => f.name), roots: pdp.policies.map((p) => p.id), ...(o.compat ? { warnings } : {}) }, () =>
            [`ok: ${files.length} file(s) compile together${o.compat ? ' in compatibility mode' : ''}`, ...warningLines(warnings)].join('\n'));
        } catch (e) {
          if (e instanceof XacmlError) throw new CliError('invalid-policy', `invalid policies: ${e.message}`, { issues: e.issues });
          throw e;
        }
        return;
      }
      const domainId = await domainIdOf(ctx, o.domain);
      const v = await call(ctx.conn().url, ctx.api().POST('/api/v1/domains/{domainId}/policies/validate', { params: { path: { domainId } }, body: { policies: files.map((f) => ({ text: f.text, name: f.name })) } }));
      if (!v.ok) throw new CliError('invalid-policy', v.error?.message ?? 'invalid', v);
      ctx.out.result(v, () => [`ok: an upload of ${files.length} file(s) to ${o.domain} would be accepted`, ...warningLines(v.warnings)].join('\n'));
    });

  policies
    .command('list <domain>')
    .alias('versions')
    .description('Policies of a domain with their versions and the active one')
    .option('--policy <policyId>', 'only this policy')
    .action(async (ref: string, o: { policy?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const domainId = await domainIdOf(ctx, ref);
      const items = (await call(ctx.conn().url, ctx.api().GET('/api/v1/domains/{domainId}/policies', { params: { path: { domainId } } }))).items.filter((p) => o.policy === undefined || p.policyId === o.policy);
      if (o.policy !== undefined && items.length === 0) throw new CliError('not-found', `policy not found: ${o.policy}`);
      ctx.out.result(items, () => table(['policy', 'kind', 'active', 'versions'], items.map((p) => [p.policyId, p.kind, p.activeVersion, p.versions.map((v) => v.version).join(', ')])));
    });

  policies
    .command('diff <domain> <policyId> [from] [to]')
    .description('Unified diff between two versions of a policy (default: the version before the active one → the active one)')
    .action(async (ref: string, policyId: string, from: string | undefined, to: string | undefined, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const domainId = await domainIdOf(ctx, ref);
      let a = from;
      let b = to;
      if (a === undefined || b === undefined) {
        const p = (await call(ctx.conn().url, ctx.api().GET('/api/v1/domains/{domainId}/policies', { params: { path: { domainId } } }))).items.find((x) => x.policyId === policyId);
        if (!p) throw new CliError('not-found', `policy not found: ${policyId}`);
        const versions = p.versions.map((v) => v.version);
        b ??= p.activeVersion ?? versions[versions.length - 1];
        const idx = versions.indexOf(b ?? '');
        a ??= idx > 0 ? versions[idx - 1] : undefined;
        if (a === undefined || b === undefined) throw new CliError('usage', `policy ${policyId} has no earlier version to compare with: give FROM and TO`);
      }
      const [ta, tb] = await Promise.all([policyText(ctx, domainId, policyId, a), policyText(ctx, domainId, policyId, b)]);
      const patch = createTwoFilesPatch(`${policyId} v${a}`, `${policyId} v${b}`, ta.endsWith('\n') ? ta : `${ta}\n`, tb.endsWith('\n') ? tb : `${tb}\n`);
      ctx.out.result({ policyId, from: a, to: b, identical: ta === tb, patch }, () =>
        patch
          .split('\n')
          .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? ctx.out.paint('green', l) : l.startsWith('-') && !l.startsWith('---') ? ctx.out.paint('red', l) : l))
          .join('\n'),
      );
    });

  policies
    .command('activate <domain> <policyId> <version>')
    .description('Make a stored version the active one of its policy (compiled first)')
    .action(async (ref: string, policyId: string, version: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const domainId = await domainIdOf(ctx, ref);
      const r = await call(ctx.conn().url, ctx.api().POST('/api/v1/domains/{domainId}/policies/{policyId}/versions/{version}/activate', { params: { path: { domainId, policyId: policyId, version } } }));
      ctx.out.result(r, () => `activated ${policyId} v${version}: deployment ${r.deployment?.number ?? '-'}`);
    });

  policies
    .command('remove <domain> <policyId>')
    .description('Remove a policy from the active set (its versions stay for rollback)')
    .action(async (ref: string, policyId: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const domainId = await domainIdOf(ctx, ref);
      const r = await call(ctx.conn().url, ctx.api().DELETE('/api/v1/domains/{domainId}/policies/{policyId}', { params: { path: { domainId, policyId: policyId } } }));
      ctx.out.result(r, () => `removed ${policyId} from the active set: deployment ${r.deployment?.number ?? '-'}`);
    });

  policies
    .command('deployments <domain>')
    .description('History of active sets, newest first')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const domainId = await domainIdOf(ctx, ref);
      const r = await call(ctx.conn().url, ctx.api().GET('/api/v1/domains/{domainId}/deployments', { params: { path: { domainId } } }));
      ctx.out.result(r.items, () => table(['#', 'reason', 'active', 'created', 'policies'], r.items.map((d: Schemas['Deployment']) => [d.number, d.reason, d.active ? '*' : '', d.createdAt, d.policies.map((p) => `${p.policyId} v${p.version}`).join(', ')])));
    });

  policies
    .command('rollback <domain>')
    .description('Roll back to an earlier deployment (default the previous one); itself a new deployment')
    .option('--to <number>', 'deployment number to return to')
    .action(async (ref: string, o: { to?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const to = o.to === undefined ? undefined : Number(o.to);
      if (to !== undefined && (!Number.isInteger(to) || to < 1)) throw new CliError('usage', `--to: a deployment number, not ${o.to}`);
      const domainId = await domainIdOf(ctx, ref);
      const r = await call(ctx.conn().url, ctx.api().POST('/api/v1/domains/{domainId}/deployments/rollback', { params: { path: { domainId } }, body: to !== undefined ? { deployment: to } : {} }));
      ctx.out.result(r, () => `rolled back: deployment ${r.deployment?.number ?? '-'} now active (${(r.deployment?.policies ?? []).map((p) => `${p.policyId} v${p.version}`).join(', ')})`);
    });

  policies
    .command('export <domain>')
    .description('Write the active policies to a folder (one .xml per policy), or print them')
    .option('--out <dir>', 'folder to write to')
    .action(async (ref: string, o: { out?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const domainId = await domainIdOf(ctx, ref);
      const items = (await call(ctx.conn().url, ctx.api().GET('/api/v1/domains/{domainId}/policies', { params: { path: { domainId } } }))).items.filter((p) => p.activeVersion !== null);
      const docs: { policyId: string; version: string; text: string; file: string }[] = [];
      for (const [i, p] of items.entries()) {
        ctx.out.progress(`exporting ${i + 1}/${items.length} ${p.policyId}`);
        const version = p.activeVersion ?? '';
        docs.push({ policyId: p.policyId, version, text: await policyText(ctx, domainId, p.policyId, version), file: fileNameFor(p.policyId, version) });
      }
      if (o.out !== undefined) {
        const dir = resolve(io.cwd, o.out);
        try {
          mkdirSync(dir, { recursive: true });
          for (const d of docs) writeFileSync(join(dir, d.file), d.text);
        } catch (e) {
          throw new CliError('bad-input', `cannot write to ${o.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        }
        ctx.out.result(docs.map(({ text: _t, ...d }) => ({ ...d, file: join(o.out ?? '', d.file) })), () => docs.map((d) => `wrote ${join(o.out ?? '', d.file)}`).join('\n'));
      } else {
        ctx.out.result(docs, () => docs.map((d) => d.text).join('\n'));
      }
    });
}
