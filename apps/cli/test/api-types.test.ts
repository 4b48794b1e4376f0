/**
 * The CLI's API types are generated from openapi.yaml (openapi-typescript, pinned) and
 * committed: regenerating them gives exactly the committed file, so the CLI type-checks
 * against the contract as it is. Run `npm run generate:api-types -w @safax/cli` after a change.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DATASET_ACTIONS as CONTRACT_ACTIONS, MANAGED_RIGHTS_POLICY_ID as CONTRACT_POLICY_ID } from '@safax/contracts';
import { DATASET_ACTIONS, MANAGED_RIGHTS_POLICY_ID } from '../src/commands/rights';

jest.setTimeout(60_000);
const CLI = join(__dirname, '..');

describe('apps/cli and openapi.yaml', () => {
  it('src/contract/openapi-types.ts is what openapi-typescript generates from openapi.yaml now', async () => {
    const script = JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')).scripts['generate:api-types'] as string;
    const args = script.replace(/^openapi-typescript /, '').replace(/-o \S+$/, '').trim().split(/\s+/);
    const out = join(mkdtempSync(join(tmpdir(), 'safax-types-')), 'api-types.ts');
    await promisify(execFile)(process.execPath, [join(CLI, '..', '..', 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), ...args, '-o', out], { cwd: CLI });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(CLI, 'src', 'contract', 'openapi-types.ts'), 'utf8'));
  });

  it('the CLI\'s copy of the rights vocabulary equals @safax/contracts', () => {
    expect(DATASET_ACTIONS).toEqual(CONTRACT_ACTIONS);
    expect(MANAGED_RIGHTS_POLICY_ID).toBe(CONTRACT_POLICY_ID);
  });
});
