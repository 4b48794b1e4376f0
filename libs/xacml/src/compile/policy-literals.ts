/**
 * The values policies compare an attribute with: literals of target Matches on a designator,
 * and of equality / is-in calls in conditions whose other argument is that designator (or its
 * one-and-only). They are the candidates a search over an entity (AuthZEN subject, resource or
 * action search) can try when nothing else enumerates them. Lexical forms, deduplicated.
 */
import type { ExprNode, PolicyChildNode, PolicyDocument, RuleNode, TargetNode } from '../model/policy-ast';
import { detach } from './scope';

export type LiteralIndex = ReadonlyMap<string, readonly string[]>;

export const literalKey = (category: string, attributeId: string): string => `${category}\u0000${attributeId}`;

/** Functions whose literal argument is a value the other argument is compared with for equality. */
const COMPARES = /(?:-equal|-is-in|-equal-ignore-case|-at-least-one-member-of)$/;

export function collectLiterals(documents: readonly PolicyDocument[]): LiteralIndex {
  const sets = new Map<string, Set<string>>();
  const add = (category: string, attributeId: string, lexical: string): void => {
    const k = literalKey(category, attributeId);
    let s = sets.get(k);
    if (!s) sets.set(k, (s = new Set()));
    s.add(lexical.trim());
  };
  const target = (t: TargetNode): void => {
    for (const anyOf of t) for (const allOf of anyOf) for (const m of allOf) {
      if (m.attribute.kind === 'Designator') add(m.attribute.category, m.attribute.attributeId, m.value.lexical);
    }
  };
  const designatorOf = (e: ExprNode): Extract<ExprNode, { kind: 'Designator' }> | undefined => {
    if (e.kind === 'Designator') return e;
    if (e.kind === 'Apply' && /-one-and-only$/.test(e.functionId) && e.args.length === 1) return designatorOf(e.args[0]!);
    return undefined;
  };
  const valuesOf = (e: ExprNode): string[] => {
    if (e.kind === 'Value') return [e.lexical];
    if (e.kind === 'Apply' && /-bag$/.test(e.functionId)) return e.args.flatMap((a) => (a.kind === 'Value' ? [a.lexical] : []));
    return [];
  };
  const expression = (e: ExprNode | undefined): void => {
    if (!e || e.kind !== 'Apply') return;
    if (COMPARES.test(e.functionId) && e.args.length === 2) {
      const [a, b] = e.args as [ExprNode, ExprNode];
      const d = designatorOf(a) ?? designatorOf(b);
      const values = designatorOf(a) ? valuesOf(b) : valuesOf(a);
      if (d) for (const v of values) add(d.category, d.attributeId, v);
    }
    e.args.forEach(expression);
  };
  const rule = (r: RuleNode): void => {
    target(r.target);
    expression(r.condition);
  };
  const visit = (n: PolicyChildNode): void => {
    if (n.kind === 'Policy') {
      target(n.target);
      n.rules.forEach(rule);
      for (const v of n.variables) expression(v.expr);
    } else if (n.kind === 'PolicySet') {
      target(n.target);
      n.children.forEach(visit);
    }
  };
  documents.forEach(visit);
  // Detached copies: the index lives as long as the PDP, the parsed strings point into its source text.
  return new Map([...sets].map(([k, s]) => [detach(k), Object.freeze([...s].map(detach).sort())]));
}
