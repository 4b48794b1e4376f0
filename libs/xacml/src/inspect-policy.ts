/**
 * Reads what a policy document is (kind, id, version) and what it references, without
 * compiling it — for policy stores that index documents.
 */
import type { PolicyChildNode } from './model/policy-ast';
import type { ParseLimits } from './pdp-types';
import { parsePolicyXml } from './parse/policy-xml';
import { withDefaults } from './xml/limits';

export interface PolicyInfo {
  readonly kind: 'Policy' | 'PolicySet';
  readonly id: string;
  readonly version: string;
  readonly references: readonly { readonly kind: 'Policy' | 'PolicySet'; readonly id: string }[];
}

/** Throws XacmlError when the text is not a well-formed policy document. */
export function inspectPolicy(text: string, limits?: Partial<ParseLimits>): PolicyInfo {
  const doc = parsePolicyXml(text, withDefaults(limits));
  const references: { kind: 'Policy' | 'PolicySet'; id: string }[] = [];
  const visit = (n: PolicyChildNode): void => {
    if (n.kind === 'PolicyRef') references.push({ kind: 'Policy', id: n.id });
    else if (n.kind === 'PolicySetRef') references.push({ kind: 'PolicySet', id: n.id });
    else if (n.kind === 'PolicySet') n.children.forEach(visit);
  };
  visit(doc);
  return { kind: doc.kind, id: doc.id, version: doc.version, references };
}
