/**
 * xpathExpression (XACML 3.0 A.2). JS representation: `XPathExpressionValue`
 * `{ path, category, namespaces }`: the XPath 1.0 text, the XPathCategory it applies to (the
 * `<Content>` of that category is its context node) and the namespace prefixes in scope where
 * the value was written. A value without XPathCategory is invalid, and so is a path that is
 * not XPath 1.0 syntax. Equality compares path and category (same text, same context).
 *
 * `compileXPath` parses once and caches (bounded) so functions never re-parse on the hot path.
 */
import * as xpath from 'xpath';
import { DT } from '../model/identifiers';
import type { Datatype, ValueParseContext } from './datatype';
import { invalidValue } from './lexical';

export interface XPathExpressionValue {
  readonly path: string;
  readonly category: string;
  readonly namespaces: Readonly<Record<string, string>>;
}

/** The part of the `xpath` package's parsed-expression API we use (not in its typings). */
export interface CompiledXPath {
  evaluate(options: {
    node: unknown;
    namespaces?: Readonly<Record<string, string>>;
  }): { nodeset(): { toArray(): unknown[] } };
}

type XPathModuleWithParse = typeof xpath & { parse(expression: string): CompiledXPath };

const CACHE_LIMIT = 1000;
const cache = new Map<string, CompiledXPath>();

/** Parses an XPath 1.0 expression; throws the parser's error when the syntax is wrong. */
export function compileXPath(path: string): CompiledXPath {
  const hit = cache.get(path);
  if (hit) return hit;
  const compiled = (xpath as XPathModuleWithParse).parse(path);
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(path, compiled);
  return compiled;
}

const EMPTY_NAMESPACES: Readonly<Record<string, string>> = Object.freeze({});

export function parseXPathExpression(lexical: string, ctx?: ValueParseContext): XPathExpressionValue {
  const category = ctx?.xpathCategory;
  if (category === undefined || category === '') {
    throw invalidValue(DT.xpathExpression, lexical, 'an xpathExpression needs an XPathCategory');
  }
  const path = lexical.trim();
  if (path === '') throw invalidValue(DT.xpathExpression, lexical, 'empty XPath expression');
  try {
    compileXPath(path);
  } catch (e) {
    throw invalidValue(DT.xpathExpression, lexical, `not an XPath 1.0 expression (${e instanceof Error ? e.message : String(e)})`);
  }
  return { path, category, namespaces: ctx?.namespaces ?? EMPTY_NAMESPACES };
}

export const xpathExpressionDatatype: Datatype<XPathExpressionValue> = Object.freeze({
  id: DT.xpathExpression,
  parse: parseXPathExpression,
  format: (v: XPathExpressionValue): string => v.path,
  equal: (a: XPathExpressionValue, b: XPathExpressionValue): boolean => a.path === b.path && a.category === b.category,
  key: (v: XPathExpressionValue): string => `${v.category}\n${v.path}`,
});
