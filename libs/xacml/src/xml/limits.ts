/**
 * Default bounds on untrusted documents; every parser applies them before building anything.
 *
 * Attribute and namespace counts are bounded because each in-scope namespace map is copied
 * for an element that declares a prefix: without a bound, thousands of declarations on one
 * element (or spread down a deep chain) cost time and memory out of all proportion to the
 * document's size. XACML elements carry a handful of attributes and documents a few prefixes.
 */
import type { ParseLimits } from '../pdp-types';

export const DEFAULT_LIMITS: ParseLimits = Object.freeze({
  maxBytes: 5 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 200_000,
  maxAttributes: 100,
  maxNamespaceDeclarations: 50,
  maxNamespacesInScope: 100,
});

export function withDefaults(limits?: Partial<ParseLimits>): ParseLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

/** Why an element's attributes exceed the limits, or undefined. */
export function attributeProblem(element: string, attributes: number, declarations: number, limits: ParseLimits): string | undefined {
  if (attributes > limits.maxAttributes) return `element <${element}> has more than ${limits.maxAttributes} attributes`;
  if (declarations > limits.maxNamespaceDeclarations) return `element <${element}> declares more than ${limits.maxNamespaceDeclarations} namespaces`;
  return undefined;
}

export function inScopeProblem(element: string, inScope: number, limits: ParseLimits): string | undefined {
  // The predefined xml prefix is always in scope and not counted.
  return inScope - 1 > limits.maxNamespacesInScope ? `more than ${limits.maxNamespacesInScope} namespace prefixes are in scope at element <${element}>` : undefined;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * One linear pass over the markup counting each start tag's attributes and namespace
 * declarations, before anything is parsed: an element with thousands of them is refused in
 * the time it takes to scan the text. Malformed markup is left to the parser (this pass only
 * ever refuses for counts); comments, CDATA, processing instructions and end tags are skipped.
 * Returns the first problem with the 1-based line of its tag, or undefined.
 */
export function scanAttributeCounts(text: string, limits: ParseLimits): { message: string; line: number } | undefined {
  let i = text.indexOf('<');
  while (i >= 0) {
    const next = text.charCodeAt(i + 1);
    if (next === 0x21 /* ! */ || next === 0x3f /* ? */) {
      const close = text.startsWith('<!--', i) ? '-->' : text.startsWith('<![CDATA[', i) ? ']]>' : next === 0x3f ? '?>' : '>';
      const end = text.indexOf(close, i + 2);
      if (end < 0) return undefined;
      i = text.indexOf('<', end + close.length);
      continue;
    }
    if (next === 0x2f /* / */) {
      i = text.indexOf('<', i + 2);
      continue;
    }
    let attributes = 0;
    let declarations = 0;
    let quote = 0;
    let nameStart = -1;
    let afterSpace = false;
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (quote !== 0) {
        if (c === quote) quote = 0;
        continue;
      }
      if (c === 0x22 || c === 0x27) {
        quote = c;
        continue;
      }
      if (c === 0x3e /* > */) break;
      if (isSpace(c)) {
        afterSpace = true;
        continue;
      }
      if (c === 0x3d /* = */) {
        attributes++;
        if (nameStart >= 0) {
          const name = text.slice(nameStart, j).trimEnd();
          if (name === 'xmlns' || name.startsWith('xmlns:')) declarations++;
        }
        nameStart = -1;
        afterSpace = false;
        if (attributes > limits.maxAttributes || declarations > limits.maxNamespaceDeclarations) {
          const element = /^[^\s/>]*/.exec(text.slice(i + 1, i + 101))![0];
          let line = 1;
          for (let k = text.indexOf('\n'); k >= 0 && k < i; k = text.indexOf('\n', k + 1)) line++;
          return { message: attributeProblem(element, attributes, declarations, limits)!, line };
        }
        continue;
      }
      if (afterSpace) {
        nameStart = j;
        afterSpace = false;
      }
    }
    i = text.indexOf('<', j + 1);
  }
  return undefined;
}
