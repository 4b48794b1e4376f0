/**
 * AttributeSelector (XACML 3.0 §5.30): an XPath over the `<Content>` of a category, evaluated
 * with the `xpath` package. The expression is parsed once here; a bad path is a static error.
 */
import * as xpath from 'xpath';
import type { Node } from '@xmldom/xmldom';
import { parseValue } from '../datatypes/registry';
import type { IssueCollector } from '../model/errors';
import { DT } from '../model/identifiers';
import type { SelectorNode } from '../model/policy-ast';
import { missingAttribute, processingError, syntaxErrorStatus } from '../model/status';
import type { AttributeValue, Bag, ExprValue } from '../model/values';
import { attributeRef, type EvalState } from '../evaluate/eval-state';
import { withContentDeclarations } from '../request/content-namespaces';
import { xpathPrefixes, type LeniencyLog } from './leniency';
import { detach } from './scope';

type XPathSelect = (expression: string, node: Node) => unknown;

/**
 * What evaluation needs of a selector, as detached strings: the closures below keep it for as
 * long as the PDP lives, and the parsed node's strings point into the policy's source text.
 */
function runtimeCopy(node: SelectorNode): Omit<SelectorNode, 'path' | 'line'> {
  return {
    kind: 'Selector',
    category: detach(node.category),
    ...(node.contextSelectorId !== undefined ? { contextSelectorId: detach(node.contextSelectorId) } : {}),
    xpath: detach(node.xpath),
    datatype: detach(node.datatype),
    mustBePresent: node.mustBePresent,
    namespaces: Object.fromEntries(Object.entries(node.namespaces).map(([p, uri]) => [detach(p), detach(uri)])),
  };
}

export function compileSelector(parsed: SelectorNode, issues: IssueCollector, lenient?: LeniencyLog): ((s: EvalState) => ExprValue) | undefined {
  // Issues name the parsed node's place; everything kept for evaluation comes from the copy.
  const at = { path: parsed.path, line: parsed.line };
  const node = runtimeCopy(parsed);
  const undeclared = lenient ? xpathPrefixes(node.xpath).filter((p) => node.namespaces[p] === undefined) : [];
  if (undeclared.length > 0) {
    lenient!.add('undeclared-prefix', at.path, `XPath "${node.xpath}" uses undeclared prefix${undeclared.length > 1 ? 'es' : ''} ${undeclared.join(', ')}: resolved from the request Content's declarations`, at.line);
  }
  const strictSelect = xpath.useNamespaces({ ...node.namespaces }) as unknown as XPathSelect;
  const selectFor = (content: Node): XPathSelect =>
    undeclared.length === 0 ? strictSelect : (xpath.useNamespaces({ ...withContentDeclarations(node.namespaces, content) }) as unknown as XPathSelect);
  try {
    // `parse` is exported by the package but missing from its type declarations.
    (xpath as unknown as { parse(expression: string): unknown }).parse(node.xpath);
  } catch (e) {
    issues.add('invalid-xpath', at.path, `invalid XPath "${node.xpath}": ${(e as Error).message}`, at.line);
    return undefined;
  }
  const contextRef = node.contextSelectorId !== undefined
    ? attributeRef(node.category, node.contextSelectorId, DT.xpathExpression, undefined, false)
    : undefined;
  const missing = () =>
    missingAttribute(`AttributeSelector ${node.xpath} (category ${node.category}) selected nothing`, {
      category: node.category, attributeId: node.xpath, datatype: node.datatype,
    });

  return (s: EvalState): Bag => {
    const content = s.content(node.category);
    if (!content) {
      if (node.mustBePresent) throw missing();
      return { kind: 'bag', datatype: node.datatype, values: [] };
    }
    let context: Node = content;
    if (contextRef) {
      const ctxBag = s.bag(contextRef);
      if (ctxBag.values.length !== 1) throw processingError(`ContextSelectorId ${node.contextSelectorId} must have exactly one value`);
      const expr = ctxBag.values[0]!.value as { path: string; namespaces: Readonly<Record<string, string>> };
      const nodes = runXPath(xpath.useNamespaces({ ...expr.namespaces }) as unknown as XPathSelect, expr.path, content);
      // Core §7.3.7: a context path that does not select exactly one node is a syntax error.
      if (nodes.length !== 1) throw syntaxErrorStatus(`ContextSelectorId ${node.contextSelectorId} must select exactly one node, got ${nodes.length}`);
      context = nodes[0]!;
    }
    const nodes = runXPath(selectFor(content), node.xpath, context);
    const values: AttributeValue[] = [];
    for (const n of nodes) {
      try {
        values.push(parseValue(node.datatype, textOf(n)));
      } catch (e) {
        throw syntaxErrorStatus(`AttributeSelector ${node.xpath}: ${(e as Error).message}`);
      }
    }
    if (values.length === 0 && node.mustBePresent) throw missing();
    return { kind: 'bag', datatype: node.datatype, values };
  };
}

function runXPath(select: XPathSelect, path: string, context: Node): Node[] {
  let result: unknown;
  try {
    result = select(path, context);
  } catch (e) {
    throw processingError(`XPath ${path} failed: ${(e as Error).message}`);
  }
  if (Array.isArray(result)) return result as Node[];
  throw syntaxErrorStatus(`XPath ${path} does not select nodes`);
}

function textOf(n: Node): string {
  // Attribute and text nodes carry their value; elements their text content.
  const v = (n as unknown as { nodeValue?: string | null; textContent?: string | null });
  return (n.nodeType === 2 || n.nodeType === 3 || n.nodeType === 4 ? v.nodeValue : v.textContent) ?? '';
}
