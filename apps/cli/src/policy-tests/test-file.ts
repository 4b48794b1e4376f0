/**
 * The policy test file (YAML or JSON), like `opa test` / Cerbos test suites:
 *
 *   name: AD1                       # suite name (default: the file name)
 *   policies: [../ad1/]             # local runs: policy files/folders, relative to this file
 *   pdp: { algorithm: permit-overrides, roots: [], compatibility: false }   # local runs: PDP configuration
 *   pip:                            # local runs: sample PIP attributes (as `safax pip import` JSON)
 *     - { category: resource, entity: photo-17, attribute: urn:safax:sample:resource:type, values: [photo] }
 *   defaults: { resource: photo-17 }   # merged into each compact request
 *   tests:
 *     - name: Bob views photos
 *       request: { subject: bob, action: view, resource: photo-17 }   # compact form
 *       expect: Permit              # or { decision: Permit, obligations: [{ id, assignments?: { attrId: value } }] }
 *     - name: raw XACML
 *       request: { xacml-xml: "<Request …>" }   # or xacml-json: {…}, authzen: {…}, file: req.xml
 *       expect: Deny
 *       skip: "why"                 # optional: not run, reported as skipped
 */
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { PepRequest } from '@safax/pep';
import { CliError } from '../exit-codes';
import { readText } from '../files';
import { compactRequestSchema, fromAuthzen, fromCompact, fromRaw, guessFormat } from '../requests';

const DECISIONS = ['Permit', 'Deny', 'NotApplicable', 'Indeterminate'] as const;
export type ExpectedDecision = (typeof DECISIONS)[number];

const expectedObligation = z.strictObject({ id: z.string().min(1), assignments: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() });
export type ExpectedObligation = z.infer<typeof expectedObligation>;

const expectSchema = z.union([
  z.enum(DECISIONS),
  z.strictObject({ decision: z.enum(DECISIONS), obligations: z.array(expectedObligation).optional(), advice: z.array(expectedObligation).optional() }),
]);

const rawRequest = z.union([
  z.strictObject({ 'xacml-xml': z.string().min(1) }),
  z.strictObject({ 'xacml-json': z.record(z.string(), z.unknown()) }),
  z.strictObject({ authzen: z.record(z.string(), z.unknown()) }),
  z.strictObject({ file: z.string().min(1) }),
]);

const testSchema = z.strictObject({
  name: z.string().min(1),
  request: z.union([rawRequest, z.record(z.string(), z.unknown())]),
  expect: expectSchema,
  skip: z.string().optional(),
});

/** Sample PIP rows, as `safax pip import` takes them in JSON. */
export const pipEntriesSchema = z.array(z.strictObject({ category: z.string().min(1), entity: z.string().min(1), attribute: z.string().min(1), datatype: z.string().optional(), values: z.array(z.string()) }));

const fileSchema = z.strictObject({
  name: z.string().min(1).optional(),
  policies: z.array(z.string().min(1)).optional(),
  pdp: z.strictObject({ algorithm: z.string().min(1).optional(), roots: z.array(z.string()).optional(), compatibility: z.boolean().optional() }).optional(),
  pip: pipEntriesSchema.optional(),
  defaults: z.record(z.string(), z.unknown()).optional(),
  tests: z.array(testSchema).min(1, 'a test file needs at least one test'),
});

export interface PolicyTest {
  readonly name: string;
  readonly request: PepRequest;
  readonly expect: { decision: ExpectedDecision; obligations?: ExpectedObligation[]; advice?: ExpectedObligation[] };
  readonly skip?: string;
}

export interface PipEntry {
  readonly category: string;
  readonly entity: string;
  readonly attribute: string;
  readonly datatype?: string;
  readonly values: readonly string[];
}

export interface TestSuite {
  readonly name: string;
  readonly file: string;
  readonly dir: string;
  readonly policies: readonly string[];
  readonly algorithm?: string;
  readonly roots?: readonly string[];
  /** Local runs: load the policies in compatibility mode. */
  readonly compatibility?: boolean;
  readonly pip: readonly PipEntry[];
  readonly tests: readonly PolicyTest[];
}

/**
 * An attributes file for local runs (`--attributes`): JSON or YAML, the rows of
 * `safax pip import` — a list, or `{ attributes: [...] }`. Answers what requests lack.
 */
export function loadAttributesFile(path: string, cwd: string): PipEntry[] {
  const text = readText(path, cwd);
  let raw: unknown;
  try {
    raw = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new CliError('bad-input', `${path}: not ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const list = Array.isArray(raw) ? raw : raw !== null && typeof raw === 'object' ? (raw as { attributes?: unknown }).attributes : undefined;
  const parsed = pipEntriesSchema.safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError('bad-input', `${path}: expected a list of { category, entity, attribute, datatype?, values } (or { attributes: [...] })${issue ? `: ${issue.path.join('.') || '(top)'}: ${issue.message}` : ''}`);
  }
  return parsed.data;
}

function requestOf(raw: Record<string, unknown>, defaults: Record<string, unknown> | undefined, dir: string, where: string): PepRequest {
  try {
    if ('xacml-xml' in raw) return fromRaw('xacml-xml', String(raw['xacml-xml']));
    if ('xacml-json' in raw) return fromRaw('xacml-json', JSON.stringify(raw['xacml-json']));
    if ('authzen' in raw) return fromAuthzen(raw['authzen']);
    if ('file' in raw && Object.keys(raw).length === 1) {
      const path = resolve(dir, String(raw['file']));
      const text = readText(path, dir);
      return fromRaw(guessFormat(path, text), text);
    }
    const compact = compactRequestSchema.safeParse({ ...(defaults ?? {}), ...raw });
    if (!compact.success) {
      const i = compact.error.issues[0];
      throw new CliError('bad-input', `request: ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'invalid'}`);
    }
    return fromCompact(compact.data);
  } catch (e) {
    if (e instanceof CliError) throw new CliError(e.code, `${where}: ${e.message}`);
    throw e;
  }
}

export function loadTestFile(path: string, cwd: string): TestSuite {
  const full = resolve(cwd, path);
  const text = readText(path, cwd);
  let data: unknown;
  try {
    data = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new CliError('bad-input', `${path}: not ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new CliError('bad-input', `${path}: ${i?.path.join('.') || '(root)'}: ${i?.message ?? 'not a policy test file'}`);
  }
  const f = parsed.data;
  const dir = dirname(full);
  const tests = f.tests.map((t, i) => {
    const e = t.expect;
    return {
      name: t.name,
      request: requestOf(t.request as Record<string, unknown>, f.defaults, dir, `${path}: tests[${i}] (${t.name})`),
      expect: typeof e === 'string' ? { decision: e } : { decision: e.decision, ...(e.obligations ? { obligations: e.obligations } : {}), ...(e.advice ? { advice: e.advice } : {}) },
      ...(t.skip !== undefined ? { skip: t.skip } : {}),
    };
  });
  return {
    name: f.name ?? path,
    file: path,
    dir,
    policies: (f.policies ?? []).map((p) => resolve(dir, p)),
    ...(f.pdp?.algorithm !== undefined ? { algorithm: f.pdp.algorithm } : {}),
    ...(f.pdp?.roots !== undefined ? { roots: f.pdp.roots } : {}),
    ...(f.pdp?.compatibility !== undefined ? { compatibility: f.pdp.compatibility } : {}),
    pip: f.pip ?? [],
    tests,
  };
}
