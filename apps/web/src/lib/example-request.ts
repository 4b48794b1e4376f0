/**
 * An example request made of a domain's own attribute ids: read from its active policies, the
 * attributes the first Permit rule tests against literal values (its target, its policies'
 * targets, equality tests in its condition), with those values — so the onboarding snippets
 * ask something the policies actually decide. subject-id, action-id and resource-id are always
 * present (with neutral values when no policy names one).
 */
import { ATTR, CATEGORIES, XS } from './xacml';
import type { CategoryName, FormAttribute } from './xacml';

const local = (el: Element, name: string): Element[] => Array.from(el.getElementsByTagNameNS('*', name));
const categoryName = (urn: string): CategoryName | undefined => (Object.entries(CATEGORIES) as [CategoryName, string][]).find(([, v]) => v === urn)?.[0];

interface Found {
  readonly category: CategoryName;
  readonly id: string;
  readonly datatype: string;
  readonly value: string;
}

/** A literal compared with an attribute designator, in a Match or an equality Apply. */
function literalTest(el: Element): Found | undefined {
  const value = Array.from(el.children).find((c) => c.localName === 'AttributeValue');
  const designator = local(el, 'AttributeDesignator')[0];
  if (!value || !designator) return undefined;
  const category = categoryName(designator.getAttribute('Category') ?? '');
  const id = designator.getAttribute('AttributeId');
  const datatype = (designator.getAttribute('DataType') ?? `${XS}string`).replace(XS, '');
  if (!category || !id) return undefined;
  return { category, id, datatype, value: (value.textContent ?? '').trim() };
}

/** The targets that must match for a rule to apply: its own and its ancestors'. */
function targetsOf(rule: Element): Element[] {
  const out: Element[] = [];
  for (let el: Element | null = rule; el && (el.localName === 'Rule' || el.localName === 'Policy' || el.localName === 'PolicySet'); el = el.parentElement) {
    const t = Array.from(el.children).find((c) => c.localName === 'Target');
    if (t) out.push(t);
  }
  return out;
}

function testsOf(rule: Element): Found[] {
  const found: Found[] = [];
  for (const target of targetsOf(rule)) {
    // One AllOf per AnyOf is enough to satisfy it: take the first of each.
    for (const anyOf of Array.from(target.children).filter((c) => c.localName === 'AnyOf')) {
      const allOf = Array.from(anyOf.children).find((c) => c.localName === 'AllOf');
      for (const m of allOf ? local(allOf, 'Match') : []) {
        const f = literalTest(m);
        if (f) found.push(f);
      }
    }
  }
  const condition = Array.from(rule.children).find((c) => c.localName === 'Condition');
  for (const apply of condition ? local(condition, 'Apply') : []) {
    if (!/-equal$/.test(apply.getAttribute('FunctionId') ?? '')) continue;
    const f = literalTest(apply);
    if (f) found.push(f);
  }
  return found;
}

const DEFAULTS: readonly FormAttribute[] = [
  { category: 'subject', id: ATTR.subjectId, datatype: 'string', value: 'user-1' },
  { category: 'action', id: ATTR.actionId, datatype: 'string', value: 'read' },
  { category: 'resource', id: ATTR.resourceId, datatype: 'string', value: 'resource-1' },
];

export function exampleAttributes(policyTexts: readonly string[]): FormAttribute[] {
  let tests: Found[] = [];
  outer: for (const text of policyTexts) {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    if (doc.getElementsByTagName('parsererror')[0]) continue;
    for (const rule of local(doc.documentElement, 'Rule')) {
      if (rule.getAttribute('Effect') !== 'Permit') continue;
      const found = testsOf(rule);
      if (found.length > 0) {
        tests = found;
        break outer;
      }
    }
  }
  const out: FormAttribute[] = [];
  for (const t of tests) if (!out.some((o) => o.category === t.category && o.id === t.id)) out.push(t);
  for (const d of DEFAULTS) if (!out.some((o) => o.category === d.category && o.id === d.id)) out.push(d);
  const order: CategoryName[] = ['subject', 'action', 'resource', 'environment'];
  return out.sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category));
}
