/**
 * Multiple Decision Profile, "nodes identified by XPath" (MDP §2.2): an Attributes element
 * with a multiple:content-selector attribute stands for one Attributes per node its XPath
 * selects in the category's Content. Each copy carries, instead, a content-selector attribute
 * whose XPath selects exactly that node.
 */
import { compileXPath, type XPathExpressionValue } from '../datatypes/xpath-expression';
import { XacmlError } from '../model/errors';
import { DT } from '../model/identifiers';
import type { RequestAttribute, RequestCategory } from '../model/request';
import type { AttributeValue } from '../model/values';

/** The profile's identifier, and the one of its drafts that the conformance tests use. */
const MULTIPLE_SELECTORS: ReadonlySet<string> = new Set([
  'urn:oasis:names:tc:xacml:3.0:profile:multiple:content-selector',
  'urn:oasis:names:tc:xacml:3.0:multiple:content-selector',
]);
const CONTENT_SELECTOR = 'urn:oasis:names:tc:xacml:3.0:content-selector';

export function hasMultipleContentSelector(c: RequestCategory): boolean {
  for (const a of c.attributes) if (MULTIPLE_SELECTORS.has(a.attributeId)) return true;
  return false;
}

/** The copies of `c`, one per selected node; `all` gives the Content of other categories. */
export function expandContentSelector(c: RequestCategory, all: readonly RequestCategory[]): RequestCategory[] {
  const index = c.attributes.findIndex((a) => MULTIPLE_SELECTORS.has(a.attributeId));
  const selector = c.attributes[index]!;
  const fail = (message: string): never => {
    throw new XacmlError('request', [{ code: 'invalid-xpath', path: `/Request/Attributes[@Category="${c.category}"]/Attribute[@AttributeId="${selector.attributeId}"]`, message }]);
  };
  const value = selector.values[0];
  if (selector.values.length !== 1 || value?.datatype.id !== DT.xpathExpression) {
    return fail('a multiple content-selector needs exactly one xpathExpression value');
  }
  const xpath = value.value as XPathExpressionValue;
  const content = xpath.category === c.category ? c.content : all.find((o) => o.category === xpath.category && o.content)?.content;
  if (!content) return fail(`no Content in category ${xpath.category} for the multiple content-selector`);

  const select = (path: string): unknown[] => {
    try {
      return compileXPath(path).evaluate({ node: content, namespaces: xpath.namespaces }).nodeset().toArray();
    } catch (e) {
      return fail(`cannot evaluate "${path}": ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const nodes = select(xpath.path);
  if (nodes.length === 0) return fail(`the multiple content-selector "${xpath.path}" selects no node`);

  return nodes.map((node, i) => {
    // Prefer the natural `path[n]`; fall back to `(path)[n]` when that would select other nodes too.
    const simple = `${xpath.path}[${i + 1}]`;
    const picked = select(simple);
    const path = picked.length === 1 && picked[0] === node ? simple : `(${xpath.path})[${i + 1}]`;
    const single: AttributeValue<XPathExpressionValue> = { datatype: value.datatype as AttributeValue<XPathExpressionValue>['datatype'], value: { ...xpath, path } };
    const replaced: RequestAttribute = { ...selector, attributeId: CONTENT_SELECTOR, values: [single] };
    const attributes = c.attributes.slice();
    attributes[index] = replaced;
    return { ...c, attributes };
  });
}
