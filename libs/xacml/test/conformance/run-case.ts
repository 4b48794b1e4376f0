/** Runs one conformance case through the public API and says what differs from the expectation. */
import { readXml } from '../../src/xml/xml-reader';
import {
  compilePdp,
  hierarchyFromParents,
  parseRequestXml,
  parseResponseXml,
  XacmlError,
  type AttributeResolver,
  type Pdp,
  type XacmlResponse,
} from '../../src/index';
import { compareResponses } from '../support/compare-responses';
import { read, type ConformanceCase } from './suite';

export interface CaseResult {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly actual?: XacmlResponse;
}

export async function runCase(c: ConformanceCase): Promise<CaseResult> {
  const fail = (...problems: string[]): CaseResult => ({ ok: false, problems });
  let pdp: Pdp | undefined;
  if (c.policyFiles.length > 0) {
    try {
      pdp = compilePdp(
        c.policyFiles.map((f) => ({ text: read(f), name: f.split('/').pop()! })),
        {
          ...(c.multipleRoots
            ? { rootCombiningAlgorithm: c.multipleRoots.combiningAlgorithm }
            : { rootPolicyIds: [rootId(read(c.policyFiles[0]!))] }),
          ...(c.attributeProviderFile ? { attributeResolver: providerFrom(read(c.attributeProviderFile)) } : {}),
          ...(c.hierarchy ? { hierarchy: hierarchyFromParents(c.hierarchy) } : {}),
        },
      );
    } catch (e) {
      if (c.expect.kind === 'policy-refused' && e instanceof XacmlError) return { ok: true, problems: [] };
      return fail(`policy refused: ${(e as Error).message}`);
    }
  }
  if (c.expect.kind === 'policy-refused') return fail('the policy was accepted; it must be refused');

  let request;
  try {
    request = parseRequestXml(read(c.expect.requestFile));
  } catch (e) {
    if (c.expect.kind === 'request-refused' && e instanceof XacmlError) return { ok: true, problems: [] };
    return fail(`request refused: ${(e as Error).message}`);
  }
  if (c.expect.kind === 'request-refused') return fail('the request was accepted; it must be refused');
  if (!pdp) return fail('no policy to evaluate');
  const { response } = await pdp.evaluate(request);
  const expected = parseResponseXml(read(c.expect.responseFile));
  const problems = compareResponses(response, expected, { compareStatusDetail: c.compareStatusDetail });
  return { ok: problems.length === 0, problems, actual: response };
}

function rootId(text: string): string {
  const el = readXml(text, 'policy');
  return el.attrs.PolicyId ?? el.attrs.PolicySetId ?? '';
}

/** A resolver serving the attributes of an AttributeProvider.xml (IIA002). */
function providerFrom(text: string): AttributeResolver {
  const root = readXml(text, 'document');
  const values = new Map<string, string[]>();
  for (const attrs of root.children.filter((c) => c.name === 'Attributes')) {
    for (const a of attrs.children.filter((c) => c.name === 'Attribute')) {
      for (const v of a.children.filter((c) => c.name === 'AttributeValue')) {
        const k = `${attrs.attrs.Category}\u0000${a.attrs.AttributeId}\u0000${v.attrs.DataType}`;
        values.set(k, [...(values.get(k) ?? []), v.text]);
      }
    }
  }
  return {
    resolve: async (q) => values.get(`${q.category}\u0000${q.attributeId}\u0000${q.datatype}`) ?? [],
  };
}
