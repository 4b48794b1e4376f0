/** JUnit XML for CI (one testsuite per test file). */
import type { TestResult } from './outcome';

function esc(s: string): string {
  // Control characters are not allowed in XML 1.0: drop them.
  // eslint-disable-next-line no-control-regex
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function junitXml(results: readonly TestResult[]): string {
  const suites = new Map<string, TestResult[]>();
  for (const r of results) suites.set(r.suite, [...(suites.get(r.suite) ?? []), r]);
  const count = (rs: readonly TestResult[], o: TestResult['outcome']) => rs.filter((r) => r.outcome === o).length;
  const secs = (rs: readonly TestResult[]) => (rs.reduce((a, r) => a + r.ms, 0) / 1000).toFixed(3);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="safax policy tests" tests="${results.length}" failures="${count(results, 'failed')}" skipped="${count(results, 'skipped')}" time="${secs(results)}">`];
  for (const [name, rs] of suites) {
    lines.push(`  <testsuite name="${esc(name)}" tests="${rs.length}" failures="${count(rs, 'failed')}" skipped="${count(rs, 'skipped')}" time="${secs(rs)}">`);
    for (const r of rs) {
      const open = `    <testcase classname="${esc(name)}" name="${esc(r.name)}" time="${(r.ms / 1000).toFixed(3)}"`;
      if (r.outcome === 'passed') lines.push(`${open}/>`);
      else if (r.outcome === 'skipped') lines.push(`${open}><skipped message="${esc(r.reason ?? '')}"/></testcase>`);
      else lines.push(`${open}><failure message="${esc(r.reason ?? 'failed')}">${esc(JSON.stringify({ expected: r.expected, observed: r.observed }))}</failure></testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
