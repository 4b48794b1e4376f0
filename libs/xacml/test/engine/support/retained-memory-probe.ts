/**
 * Run by retained-memory.test.ts in a process of its own (node --expose-gc --import tsx): in a
 * jest worker, whatever earlier suites left behind is collected at unpredictable times and
 * moved the heap by megabytes during a measurement. Prints one JSON line:
 * { held, estimated, textBytes } per PDP.
 *
 * Held is what dropping the PDPs gives back (heap after keeping them minus heap after dropping
 * them, each after full collections), the median of five rounds.
 */
import { compilePdp } from '../../../src';
import type { Pdp, PdpOptions } from '../../../src';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const heapAfterCollection = (): number => {
  gc();
  gc();
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

/** Per PDP: heap held, the engine's estimate, and the size of its source text. */
export interface Measurement {
  readonly held: number;
  readonly estimated: number;
  readonly textBytes: number;
}

function measure(options: PdpOptions): Measurement {
  const N = 100;
  const ROUNDS = 5;
  compilePdp([{ text: asRead(policy(-1)) }], options);
  const rounds: number[] = [];
  let estimated = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let keep: Pdp[] = [];
    // Each text is built and dropped here: if a PDP kept its text, the text would count as held.
    for (let i = 0; i < N; i++) keep.push(compilePdp([{ text: asRead(policy(round * N + i)) }], options));
    estimated = keep[0]!.estimatedBytes;
    const kept = heapAfterCollection();
    keep = [];
    rounds.push((kept - heapAfterCollection()) / N);
  }
  rounds.sort((a, b) => a - b);
  return { held: rounds[Math.floor(ROUNDS / 2)]!, estimated, textBytes: policy(0).length };
}

const options = JSON.parse(process.argv[2] ?? '{}') as PdpOptions;
process.stdout.write(`${JSON.stringify(measure(options))}\n`);
