/**
 * The namespace prefixes a request's Content declares, anywhere in it (the first declaration
 * of a prefix wins). Compatibility mode resolves prefixes a policy uses but never declared
 * with these, as lenient engines do. Computed once per document.
 */
import type { Node } from '@xmldom/xmldom';

const cache = new WeakMap<object, Readonly<Record<string, string>>>();

export function contentDeclarations(node: Node): Readonly<Record<string, string>> {
  const doc = (node.nodeType === 9 ? node : node.ownerDocument) as object | null;
  if (!doc) return {};
  const hit = cache.get(doc);
  if (hit) return hit;
  const out: Record<string, string> = {};
  const walk = (n: Node): void => {
    if (n.nodeType === 1) {
      const attrs = (n as unknown as { attributes: { length: number; item(i: number): { name: string; value: string } | null } }).attributes;
      for (let i = 0; i < attrs.length; i++) {
        const a = attrs.item(i)!;
        if (a.name.startsWith('xmlns:')) {
          const prefix = a.name.slice(6);
          if (!(prefix in out)) out[prefix] = a.value;
        }
      }
    }
    for (let c = n.firstChild; c; c = c.nextSibling) walk(c);
  };
  walk(doc as Node);
  const frozen = Object.freeze(out);
  cache.set(doc, frozen);
  return frozen;
}

/** The policy's prefixes, completed by the Content's where the policy has none of its own. */
export function withContentDeclarations(policy: Readonly<Record<string, string>>, content: Node): Readonly<Record<string, string>> {
  return { ...contentDeclarations(content), ...policy };
}
