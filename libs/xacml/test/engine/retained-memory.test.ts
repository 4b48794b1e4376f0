/**
 * A compiled PDP holds what it estimates (Pdp.estimatedBytes, what the platform's PDP cache
 * budgets by) and not its parsed documents or source text: measured as heap still in use after
 * full collections, for PDPs compiled from distinct texts (as read from a database).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { compilePdp } from '../../src';
import type { Pdp, PdpOptions } from '../../src';

jest.setTimeout(60_000);

/** V8's full collection, reachable without starting node with --expose-gc. */
const collect: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const heldBytes = (): number => {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
};

const match = (id: string, category: string, value: string) =>
  `<Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${value}</AttributeValue>` +
  `<AttributeDesignator Category="${category}" AttributeId="${id}" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/></Match>`;
const ACTION = 'urn:oasis:names:tc:xacml:3.0:attribute-category:action';
const RESOURCE = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
const SUBJECT = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';
const one = (category: string, id: string) =>
  `<Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-one-and-only"><AttributeDesignator Category="${category}" AttributeId="${id}" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="true"/></Apply>`;

/** 20 rules of three matches (every fourth with an owner condition) and a long description, unique per `n`. */
function policy(n: number): string {
  const rules = Array.from({ length: 20 }, (_, i) => {
    const target = `<Target><AnyOf><AllOf>${match('urn:oasis:names:tc:xacml:1.0:action:action-id', ACTION, ['read', 'write', 'delete', 'share'][i % 4]!)}${match('resource-type', RESOURCE, `type-${i % 3}`)}${match('role', SUBJECT, `role-${i % 10}`)}</AllOf></AnyOf></Target>`;
    const condition = i % 4 === 3 ? `<Condition><Apply FunctionId="urn:oasis:names:tc:xacml:1.0:function:string-equal">${one(RESOURCE, 'owner')}${one(SUBJECT, 'urn:oasis:names:tc:xacml:1.0:subject:subject-id')}</Apply></Condition>` : '';
    return `<Rule RuleId="rule-${i}" Effect="Permit">${target}${condition}</Rule>`;
  }).join('');
  return `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="tenant-policy-${n}" Version="1" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides">` +
    `<Description>${`tenant ${n} `.repeat(8000)}</Description><Target/>${rules}<Rule RuleId="default" Effect="Deny"/></Policy>`;
}

/** A flat copy, as a database driver returns it (a built-up string would be flattened, i.e. copied, while parsing). */
const asRead = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/**
 * Heap held per PDP: the least of three rounds, since anything else the process does meanwhile
 * (in a jest worker shared with other suites) can only add to what one round sees.
 */
function measure(options: PdpOptions): { held: number; estimated: number; textBytes: number } {
  const N = 100;
  compilePdp([{ text: asRead(policy(-1)) }], options);
  let least = Number.POSITIVE_INFINITY;
  let estimated = 0;
  for (let round = 0; round < 3; round++) {
    let keep: Pdp[] = [];
    const before = heldBytes();
    // Each text is built and dropped here: if a PDP kept its text, the text would count as held.
    for (let i = 0; i < N; i++) keep.push(compilePdp([{ text: asRead(policy(round * N + i)) }], options));
    estimated = keep[0]!.estimatedBytes;
    least = Math.min(least, (heldBytes() - before) / N);
    keep = [];
  }
  return { held: least, estimated, textBytes: policy(0).length };
}

describe('memory a compiled PDP holds', () => {
  it.each([
    ['a single root', {}],
    ['a configured root combining algorithm (as the platform compiles)', { rootCombiningAlgorithm: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-overrides', alwaysReturnPolicyIdList: true }],
  ])('%s: within its estimate, and without its source text', (_name, options: PdpOptions) => {
    const { held, estimated, textBytes } = measure(options);
    // The estimate errs on the high side, within a factor of 2.
    expect(held).toBeLessThanOrEqual(estimated);
    expect(held).toBeGreaterThan(estimated / 2);
    // The ~100 KB source text (and the parsed documents) are not kept.
    expect(held).toBeLessThan(textBytes / 2);
  });
});
