/** The work of `safax test` (loaded when the command runs: it pulls in the engine and the PEP SDK). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { contextOf } from '../context';
import { CliError } from '../exit-codes';
import { expandFiles } from '../files';
import type { Io } from '../io';
import { junitXml } from '../policy-tests/junit';
import type { TestResult } from '../policy-tests/outcome';
import { runLocal } from '../policy-tests/run-local';
import { runRemote } from '../policy-tests/run-remote';
import { loadAttributesFile, loadTestFile } from '../policy-tests/test-file';
import { REQUEST_FORMATS } from '../requests';
import type { RequestFormat } from '../requests';
import { resolveDomain } from '../resolve';

export async function testAction(io: Io, files: string[], o: { domain?: string; format: string; junit?: string; filter?: string; attributes?: string; compat?: boolean }, cmd: Command): Promise<void> {
  const ctx = contextOf(io, cmd);
  if (!(REQUEST_FORMATS as readonly string[]).includes(o.format)) throw new CliError('usage', `--format: one of ${REQUEST_FORMATS.join(', ')}`);
  if (o.domain !== undefined && (o.attributes !== undefined || o.compat)) {
    throw new CliError('usage', '--attributes and --compat apply to local runs; a domain uses its own PIP and PDP configuration');
  }
  const attributes = o.attributes !== undefined ? loadAttributesFile(o.attributes, io.cwd) : undefined;
  const warnings: { suite: string; code: string; message: string; path: string; line?: number }[] = [];
  const paths = expandFiles(files, io.cwd, /\.(ya?ml|json)$/i);
  const suites = paths.map((p) => loadTestFile(p, io.cwd)).map((s) => (o.filter === undefined ? s : { ...s, tests: s.tests.filter((t) => t.name.includes(o.filter ?? '')) }));
  const total = suites.reduce((n, s) => n + s.tests.length, 0);
  if (total === 0) throw new CliError('usage', `no tests to run in ${files.join(', ')}${o.filter !== undefined ? ` matching "${o.filter}"` : ''}`);
  const target = o.domain !== undefined ? await resolveDomain(ctx, o.domain) : undefined;
  const results: TestResult[] = [];
  const show = (r: TestResult) => {
    if (ctx.out.json) return;
    const mark = r.outcome === 'passed' ? ctx.out.paint('green', 'PASS') : r.outcome === 'skipped' ? ctx.out.paint('yellow', 'SKIP') : ctx.out.paint('red', 'FAIL');
    io.out(`${mark}  ${r.suite} › ${r.name}${r.reason ? `: ${r.reason}` : ''}\n`);
  };
  for (const s of suites) {
    const run = target
      ? await runRemote(s, { pdpUrl: target.pdpUrl, apiKey: ctx.conn().apiKey, format: o.format as RequestFormat, timeoutMs: ctx.timeoutMs }, show)
      : await runLocal(s, io.cwd, show, {
        ...(attributes ? { attributes } : {}),
        ...(o.compat ? { compatibility: true } : {}),
        onWarning: (w) => {
          warnings.push({ suite: s.name, code: w.code, message: w.message, path: w.path, ...(w.line !== undefined ? { line: w.line } : {}) });
          if (!ctx.out.json) io.out(`${ctx.out.paint('yellow', 'WARN')}  ${s.name}: compatibility mode accepted ${w.code}${w.line !== undefined ? ` (line ${w.line})` : ''}: ${w.message}\n`);
        },
      });
    results.push(...run);
  }
  const n = (k: TestResult['outcome']) => results.filter((r) => r.outcome === k).length;
  const summary = { passed: n('passed'), failed: n('failed'), skipped: n('skipped'), mode: target ? `remote ${target.name} (${o.format})` : 'local' };
  if (o.junit !== undefined) {
    try {
      writeFileSync(resolve(io.cwd, o.junit), junitXml(results));
    } catch (e) {
      throw new CliError('bad-input', `cannot write ${o.junit}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  ctx.out.result({ ...summary, results, ...(warnings.length > 0 ? { warnings } : {}) }, () =>
    `\n${summary.passed} passing, ${summary.failed} failing, ${summary.skipped} skipped (${summary.mode})${warnings.length > 0 ? `; ${warnings.length} compatibility warning(s)` : ''}`);
  if (summary.failed > 0) throw new CliError('tests-failed', `${summary.failed} of ${results.length} policy test(s) failed`, { quiet: true });
}
