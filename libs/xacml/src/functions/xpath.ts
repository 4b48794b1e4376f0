/**
 * XPath functions (A.3.15): xpath-node-count, xpath-node-equal, xpath-node-match, evaluated
 * with the `xpath` package against the `<Content>` of the xpathExpression's category
 * (`ctx.content(category)` is the context node; the value's namespace prefixes resolve names).
 * Missing content selects nothing: node-count is 0, node-equal and node-match are false.
 * A path that fails at run time, or does not select nodes (e.g. `count(//a)`), makes the call
 * Indeterminate (processing-error). Literal paths are checked when the policy is loaded.
 *
 * The deprecated 1.0 ids take the path as a string and address the XACML 2.0 request context:
 * for a 2.0 request the whole request is the context node; for a 3.0 one, the resource
 * `<Content>` (where 2.0's ResourceContent lived). Their prefixes are those in scope at the
 * `<Apply>` (bound at compile time through `bindNamespaces`).
 */
import type { Node } from '@xmldom/xmldom';
import { CATEGORY, DT } from '../model/identifiers';
import { processingError } from '../model/status';
import type { AttributeValue, ExprValue } from '../model/values';
import { isAttributeValue } from '../model/values';
import type { EvalContext } from '../evaluate/eval-context';
import { IntegerType, booleanValue } from '../datatypes/registry';
import type { XPathExpressionValue } from '../datatypes/xpath-expression';
import { compileXPath } from '../datatypes/xpath-expression';
import { withContentDeclarations } from '../request/content-namespaces';
import type { EagerFunctionDef } from './function-def';
import { F1, F3 } from './ids';
import { defineEager, value } from './signature';

const NO_NAMESPACES: Readonly<Record<string, string>> = Object.freeze({});

/** The nodes `path` selects in the content of `category` ([] when there is no content). */
export function selectNodes(
  path: string,
  category: string,
  namespaces: Readonly<Record<string, string>>,
  ctx: EvalContext,
): Node[] {
  const content = ctx.content(category);
  if (content === undefined) return [];
  return runPath(path, content, ctx.compatibility ? withContentDeclarations(namespaces, content) : namespaces);
}

function runPath(path: string, node: Node, namespaces: Readonly<Record<string, string>>): Node[] {
  try {
    return compileXPath(path).evaluate({ node, namespaces }).nodeset().toArray() as Node[];
  } catch (e) {
    throw processingError(`XPath "${path}" failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function nodesOf(arg: ExprValue, ctx: EvalContext): Node[] {
  const v = (arg as AttributeValue<XPathExpressionValue>).value;
  return selectNodes(v.path, v.category, v.namespaces, ctx);
}

function legacyNodesOf(namespaces: Readonly<Record<string, string>>): NodesOf {
  return (arg, ctx) => {
    const path = (arg as AttributeValue<string>).value;
    const request = ctx.v2RequestContext?.();
    if (request === undefined) return selectNodes(path, CATEGORY.resource, namespaces, ctx);
    return runPath(path, request, ctx.compatibility ? withContentDeclarations(namespaces, request) : namespaces);
  };
}

/** True when some node of `a` is some node of `b` (identity). */
export function anyIdentical(a: readonly Node[], b: readonly Node[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const set = new Set<Node>(a);
  return b.some((n) => set.has(n));
}

/** True when some node of `b` is a node of `a`, or lies inside one (descendant or attribute). */
export function anyWithin(a: readonly Node[], b: readonly Node[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const roots = new Set<Node>(a);
  for (const n of b) {
    let cur: Node | null = n;
    while (cur) {
      if (roots.has(cur)) return true;
      // An attribute's parent is its owner element.
      cur = cur.nodeType === 2 ? ((cur as unknown as { ownerElement: Node | null }).ownerElement ?? null) : cur.parentNode;
    }
  }
  return false;
}

function validatePaths(literals: readonly (ExprValue | undefined)[]): string | undefined {
  for (const lit of literals) {
    if (lit === undefined || !isAttributeValue(lit)) continue;
    const v = lit.value;
    const path = typeof v === 'string' ? v : (v as Partial<XPathExpressionValue>).path;
    if (typeof path !== 'string') continue;
    try {
      compileXPath(path);
    } catch (e) {
      return `invalid XPath expression "${path}": ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return undefined;
}

type NodesOf = (arg: ExprValue, ctx: EvalContext) => Node[];

function family(ns: string, argType: string, nodes: NodesOf): EagerFunctionDef[] {
  const X = value(argType);
  const extras = { validateLiterals: validatePaths };
  return [
    defineEager(
      `${ns}xpath-node-count`,
      { params: [X], returns: value(DT.integer) },
      (args, ctx) => ({ datatype: IntegerType, value: BigInt(nodes(args[0] as ExprValue, ctx).length) }),
      extras,
    ),
    defineEager(
      `${ns}xpath-node-equal`,
      { params: [X, X], returns: value(DT.boolean) },
      (args, ctx) => booleanValue(anyIdentical(nodes(args[0] as ExprValue, ctx), nodes(args[1] as ExprValue, ctx))),
      extras,
    ),
    defineEager(
      `${ns}xpath-node-match`,
      { params: [X, X], returns: value(DT.boolean) },
      (args, ctx) => booleanValue(anyWithin(nodes(args[0] as ExprValue, ctx), nodes(args[1] as ExprValue, ctx))),
      extras,
    ),
  ];
}

/** The string-typed 1.0 functions, bound to the prefixes in scope where they are called. */
function legacyFamily(namespaces: Readonly<Record<string, string>>): EagerFunctionDef[] {
  return family(F1, DT.string, legacyNodesOf(namespaces)).map((def) =>
    Object.freeze({ ...def, bindNamespaces: (ns: Readonly<Record<string, string>>) => legacyFamily(ns).find((d) => d.id === def.id)! }),
  );
}

export const XPATH_FUNCTIONS: readonly EagerFunctionDef[] = [
  ...family(F3, DT.xpathExpression, nodesOf),
  ...legacyFamily(NO_NAMESPACES),
];
