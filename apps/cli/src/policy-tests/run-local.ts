/**
 * Runs a suite against the policies on disk with @safax/xacml, the engine the platform runs:
 * the same request the remote run sends (the SDK's XACML JSON form) is parsed and evaluated;
 * the suite's `pip` entries (and those of an `--attributes` file) answer attributes the request
 * lacks, as the sample PIP does. In compatibility mode the leniencies applied are reported.
 */
import { XacmlError, compilePdp, parseRequestJson } from '@safax/xacml';
import type { AttributeResolver, CompatibilityWarning, Pdp } from '@safax/xacml';
import { CliError } from '../exit-codes';
import { expandFiles, readText } from '../files';
import { toJsonProfile } from '../requests';
import { mismatch } from './outcome';
import type { Observed, TestResult } from './outcome';
import type { PipEntry, TestSuite } from './test-file';

const SHORT_CATEGORY: Record<string, string> = {
  subject: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject',
  resource: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
  action: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action',
  environment: 'urn:oasis:names:tc:xacml:3.0:attribute-category:environment',
};
const ENTITY_ID: Record<string, string> = {
  'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject': 'urn:oasis:names:tc:xacml:1.0:subject:subject-id',
  'urn:oasis:names:tc:xacml:3.0:attribute-category:resource': 'urn:oasis:names:tc:xacml:1.0:resource:resource-id',
  'urn:oasis:names:tc:xacml:3.0:attribute-category:action': 'urn:oasis:names:tc:xacml:1.0:action:action-id',
};
const ALGORITHM_PREFIX = 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:';
/** first-applicable and only-one-applicable exist only under the 1.0 identifiers. */
const LEGACY_PREFIX = 'urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:';

function pipResolver(entries: readonly PipEntry[]): AttributeResolver {
  const rows = entries.map((e) => ({ ...e, category: SHORT_CATEGORY[e.category] ?? e.category }));
  return {
    async resolve(query, request) {
      for (const r of rows) {
        if (r.category !== query.category || r.attribute !== query.attributeId) continue;
        const idAttr = ENTITY_ID[r.category];
        const entity = idAttr ? request.values(r.category, idAttr) : ['environment'];
        if (entity.includes(r.entity)) return [...r.values];
      }
      return [];
    },
  };
}

export interface LocalRunOptions {
  /** Attributes from an `--attributes` file, consulted after the suite's own `pip`. */
  readonly attributes?: readonly PipEntry[];
  /** Compatibility mode regardless of the suite's `pdp.compatibility`. */
  readonly compatibility?: boolean;
  /** Each leniency compatibility mode applied while loading the suite's policies. */
  readonly onWarning?: (w: CompatibilityWarning) => void;
}

/** Compiles the suite's policies; an invalid set is a CliError `invalid-policy`. */
export function compileSuite(suite: TestSuite, cwd: string, options: LocalRunOptions = {}): Pdp {
  if (suite.policies.length === 0) throw new CliError('usage', `${suite.file}: a local run needs \`policies\` in the test file (or run against a domain with --domain)`);
  const files = expandFiles(suite.policies, cwd, /\.xml$/i);
  try {
    const pdp = compilePdp(
      files.map((f) => ({ text: readText(f, cwd), name: f })),
      {
        ...(suite.algorithm ? { rootCombiningAlgorithm: suite.algorithm.includes(':') ? suite.algorithm : `${['first-applicable', 'only-one-applicable'].includes(suite.algorithm) ? LEGACY_PREFIX : ALGORITHM_PREFIX}${suite.algorithm}` } : {}),
        ...(suite.roots && suite.roots.length > 0 ? { rootPolicyIds: suite.roots } : {}),
        attributeResolver: pipResolver([...suite.pip, ...(options.attributes ?? [])]),
        ...(options.compatibility || suite.compatibility ? { compatibility: true } : {}),
      },
    );
    for (const w of pdp.warnings) options.onWarning?.(w);
    return pdp;
  } catch (e) {
    if (e instanceof XacmlError) throw new CliError('invalid-policy', `${suite.file}: the policies do not compile: ${e.message}`, { issues: e.issues });
    throw e;
  }
}

export async function runLocal(suite: TestSuite, cwd: string, onResult: (r: TestResult) => void = () => undefined, options: LocalRunOptions = {}): Promise<TestResult[]> {
  const pdp = compileSuite(suite, cwd, options);
  const out: TestResult[] = [];
  for (const t of suite.tests) {
    const started = performance.now();
    let result: TestResult;
    if (t.skip !== undefined) {
      result = { suite: suite.name, name: t.name, outcome: 'skipped', ms: 0, expected: t.expect, reason: t.skip };
    } else {
      const { response } = await pdp.evaluate(parseRequestJson(toJsonProfile(t.request)));
      const r = response.results[0];
      const act = (list: readonly { id: string; assignments: readonly { attributeId: string; value: { datatype: { format(v: unknown): string }; value: unknown } }[] }[] | undefined) =>
        (list ?? []).map((o) => ({ id: o.id, assignments: o.assignments.map((a) => ({ attributeId: a.attributeId, value: a.value.datatype.format(a.value.value) })) }));
      const observed: Observed = { decision: r?.decision ?? 'Indeterminate', obligations: act(r?.obligations), advice: act(r?.advice), ...(r?.status ? { status: r.status.code } : {}) };
      const why = mismatch(t.expect, observed);
      result = { suite: suite.name, name: t.name, outcome: why ? 'failed' : 'passed', ms: performance.now() - started, expected: t.expect, observed, ...(why ? { reason: why } : {}) };
    }
    out.push(result);
    onResult(result);
  }
  return out;
}
