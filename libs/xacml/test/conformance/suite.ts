/**
 * The conformance vectors in ../shared/conformance as a list of cases (data only): which
 * policies to load, which request to send, what must come back — or what must be refused.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE_ROOT } from '../support/conformance-files';

export const CONFORMANCE_DIR = CONFORMANCE_ROOT;

export type Expectation =
  | { readonly kind: 'response'; readonly requestFile: string; readonly responseFile: string }
  | { readonly kind: 'policy-refused' }
  | { readonly kind: 'request-refused'; readonly requestFile: string };

export interface ConformanceCase {
  readonly folder: string;
  readonly id: string;
  /** Policy files; the first is the root. */
  readonly policyFiles: readonly string[];
  readonly expect: Expectation;
  /** Attributes a PIP supplies (IIA002). */
  readonly attributeProviderFile?: string;
  readonly compareStatusDetail: boolean;
  /**
   * Several initial policies (IID029/IID030: a repository gives all of them), combined at the
   * PDP level; otherwise the first policy file is the single root.
   */
  readonly multipleRoots?: { readonly combiningAlgorithm: string };
  /** Hierarchical resources: each node's parents, from the folder's description of the hierarchy. */
  readonly hierarchy?: Readonly<Record<string, readonly string[]>>;
}

const read = (f: string): string => readFileSync(f, 'utf8');
const dirs = (d: string): string[] => (existsSync(d) ? readdirSync(d).filter((n) => statSync(join(d, n)).isDirectory()).sort() : []);

/** `mandatory/`, `optional/xml`, `optional/xml+json`: one directory per test. */
function ctFolder(folder: string, rel: string): ConformanceCase[] {
  const base = join(CONFORMANCE_DIR, rel);
  return dirs(base).map((id) => {
    const d = join(base, id);
    const root = join(d, 'Policy.xml');
    const extra = existsSync(join(d, 'Policies'))
      ? readdirSync(join(d, 'Policies')).filter((f) => f.endsWith('.xml')).sort().map((f) => join(d, 'Policies', f))
      : [];
    const rootFile = existsSync(root) ? root : extra.find((f) => f.endsWith('/Policy.xml'));
    const policyFiles = rootFile ? [rootFile, ...extra.filter((f) => f !== rootFile)] : extra;
    let expect: Expectation;
    if (existsSync(join(d, 'Request.xml.ignore'))) expect = { kind: 'policy-refused' };
    else if (existsSync(join(d, 'Policy.xml.ignore'))) expect = { kind: 'request-refused', requestFile: join(d, 'Request.xml') };
    else expect = { kind: 'response', requestFile: join(d, 'Request.xml'), responseFile: join(d, 'Response.xml') };
    const provider = join(d, 'AttributeProvider.xml');
    return {
      folder, id, policyFiles, expect, compareStatusDetail: false,
      ...(existsSync(provider) ? { attributeProviderFile: provider } : {}),
    };
  });
}

/** `others/`: policies/ (policy.xml is the root), request.xml and response.xml unless the policy must be refused. */
function othersFolder(): ConformanceCase[] {
  const base = join(CONFORMANCE_DIR, 'authzforce-conformance-others');
  return dirs(base).map((id) => {
    const d = join(base, id);
    // Either policies/ (policy.xml the root, the others referenced) or a single policy.xml.
    const pdir = existsSync(join(d, 'policies')) ? join(d, 'policies') : d;
    const files = readdirSync(pdir).filter((f) => f.endsWith('.xml') && (pdir !== d || f === 'policy.xml')).sort();
    const policyFiles = [join(pdir, 'policy.xml'), ...files.filter((f) => f !== 'policy.xml').map((f) => join(pdir, f))];
    const expect: Expectation = existsSync(join(d, 'request.xml'))
      ? { kind: 'response', requestFile: join(d, 'request.xml'), responseFile: join(d, 'response.xml') }
      : { kind: 'policy-refused' };
    return { folder: 'others', id, policyFiles, expect, compareStatusDetail: id.startsWith('StatusDetail.') };
  });
}

function recoveredFolder(): ConformanceCase[] {
  const base = join(CONFORMANCE_DIR, 'authzforce-recovered-IIA004-IIA005');
  return [
    { folder: 'IIA004/IIA005', id: 'IIA004', policyFiles: [join(base, 'IIA004Policy.xml')], expect: { kind: 'policy-refused' }, compareStatusDetail: false },
    { folder: 'IIA004/IIA005', id: 'IIA005', policyFiles: [], expect: { kind: 'request-refused', requestFile: join(base, 'IIA005Request.xml') }, compareStatusDetail: false },
  ];
}

/** `unsupported/`: flat files named <id>Policy.xml / <id>Policy1.xml, <id>Request.xml, <id>Response.xml. */
function unsupportedFolder(): ConformanceCase[] {
  const base = join(CONFORMANCE_DIR, 'authzforce-xacml-3.0-from-2.0-ct', 'unsupported');
  if (!existsSync(base)) return [];
  const files = readdirSync(base).sort();
  const ids = [...new Set(files.filter((f) => f.endsWith('Request.xml')).map((f) => f.slice(0, -'Request.xml'.length)))];
  // A `<prefix>Special.txt` describes a set-up for the cases whose id starts with the prefix.
  const specials = files.filter((f) => f.endsWith('Special.txt')).map((f) => ({ prefix: f.slice(0, -'Special.txt'.length), text: read(join(base, f)) }));
  return ids.map((id) => {
    const hierarchy = specials.filter((s) => id.startsWith(s.prefix)).map((s) => hierarchyDescribed(s.text)).find((h) => h !== undefined);
    const policyFiles = files.filter((f) => f.startsWith(`${id}Policy`) && f.endsWith('.xml')).map((f) => join(base, f));
    return {
      folder: 'unsupported', id, policyFiles,
      expect: { kind: 'response', requestFile: join(base, `${id}Request.xml`), responseFile: join(base, `${id}Response.xml`) },
      compareStatusDetail: false,
      // XACML 2.0 conformance (IID029/030): initial policies from a repository, at most one may apply.
      ...(policyFiles.length > 1 ? { multipleRoots: { combiningAlgorithm: 'urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:only-one-applicable' } } : {}),
      ...(hierarchy ? { hierarchy } : {}),
    };
  });
}

/**
 * A description of hierarchical resources names each node in quotes; nodes are URNs whose
 * parent is the URN without its last segment. Undefined when the text describes no hierarchy.
 */
function hierarchyDescribed(text: string): Record<string, string[]> | undefined {
  if (!/hierarchical resources/i.test(text)) return undefined;
  const nodes = new Set([...text.matchAll(/"([^"]+)"/g)].map((m) => m[1]!));
  const parents: Record<string, string[]> = {};
  for (const n of nodes) {
    const parent = n.slice(0, n.lastIndexOf(':'));
    if (nodes.has(parent)) parents[n] = [parent];
  }
  return Object.keys(parents).length > 0 ? parents : undefined;
}

export function conformanceCases(): { required: ConformanceCase[]; unsupported: ConformanceCase[] } {
  const ct = 'authzforce-xacml-3.0-from-2.0-ct';
  return {
    required: [
      ...ctFolder('mandatory', `${ct}/mandatory`),
      ...ctFolder('optional', `${ct}/optional/xml`),
      ...ctFolder('optional', `${ct}/optional/xml+json`),
      ...othersFolder(),
      ...recoveredFolder(),
    ],
    unsupported: unsupportedFolder(),
  };
}

export { read };
