/**
 * A compiled PDP holds what it estimates (Pdp.estimatedBytes, what the platform's PDP cache
 * budgets by) and not its parsed documents or source text: measured as the heap that dropping
 * the PDPs gives back after full collections, for PDPs compiled from distinct texts (as read
 * from a database).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PdpOptions } from '../../src';
import type { Measurement } from './support/retained-memory-probe';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..', '..', '..');
const PROBE = join(__dirname, 'support', 'retained-memory-probe.ts');

/** The measurement runs in a process of its own (see the probe): a jest worker's heap moves with other suites' garbage. */
async function measure(options: PdpOptions): Promise<Measurement> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', PROBE, JSON.stringify(options)], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
  });
  return JSON.parse(stdout) as Measurement;
}

describe('memory a compiled PDP holds', () => {
  it.each([
    ['a single root', {}],
    ['a configured root combining algorithm (as the platform compiles)', { rootCombiningAlgorithm: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-overrides', alwaysReturnPolicyIdList: true }],
  ])('%s: within its estimate, and without its source text', async (_name, options: PdpOptions) => {
    const { held, estimated, textBytes } = await measure(options);
    // The estimate errs on the high side, within a factor of 2.
    expect(held).toBeLessThanOrEqual(estimated);
    expect(held).toBeGreaterThan(estimated / 2);
    // The ~100 KB source text (and the parsed documents) are not kept.
    expect(held).toBeLessThan(textBytes / 2);
  });
});
