/**
 * The XACML conformance suite (../shared/conformance): every required case must pass;
 * `unsupported/` runs and is reported. Prints passed/failed per folder.
 */
import { conformanceCases, type ConformanceCase } from './suite';
import { runCase } from './run-case';

const { required, unsupported } = conformanceCases();
const tally = new Map<string, { passed: number; failed: string[] }>();
const count = (folder: string, id: string, ok: boolean): void => {
  const t = tally.get(folder) ?? { passed: 0, failed: [] };
  if (ok) t.passed++;
  else t.failed.push(id);
  tally.set(folder, t);
};

afterAll(() => {
  const lines = [...tally].map(([folder, t]) => `  ${folder.padEnd(16)} ${t.passed} passed, ${t.failed.length} failed${t.failed.length > 0 ? ` (${t.failed.sort().join(', ')})` : ''}`);
  process.stdout.write(`\nXACML conformance (../shared/conformance):\n${lines.join('\n')}\n`);
});

describe('XACML conformance', () => {
  it('finds the suite', () => {
    expect(required.filter((c) => c.folder === 'mandatory').length).toBeGreaterThanOrEqual(455);
    expect(required.filter((c) => c.folder === 'others').length).toBe(23);
  });

  test.each(required.map((c): [string, ConformanceCase] => [`${c.folder}/${c.id}`, c]))('%s', async (_name, c) => {
    const r = await runCase(c);
    count(c.folder, c.id, r.ok);
    expect(r.problems).toEqual([]);
  });

  // Not required: the origin project does not support these either. Each must still be
  // decided or refused cleanly — never an internal error.
  test.each(unsupported.map((c): [string, ConformanceCase] => [`unsupported/${c.id}`, c]))('%s (reported)', async (_name, c) => {
    const r = await runCase(c);
    count('unsupported', c.id, r.ok);
    // Hierarchical resources are supported (with the hierarchy the folder describes): they must pass.
    if (c.hierarchy) expect(r.problems).toEqual([]);
    expect(r.problems.filter((p) => /internal error/.test(p))).toEqual([]);
    expect(r.actual?.results.some((x) => /internal error/.test(x.status.message ?? '')) ?? false).toBe(false);
  });
});
