/**
 * Regular-expression match functions (A.3.13): string-regexp-match and the 2.0 anyURI-,
 * ipAddress-, dnsName-, rfc822Name- and x500Name-regexp-match, which match the value's
 * string form (as written). fn:matches semantics: the pattern may match any substring unless
 * anchored with ^ and $.
 *
 * Patterns are translated to RE2 and run by re2js (linear time: no pattern can hang the PDP),
 * compiled once and cached (bounded). A literal pattern that does not compile is refused when
 * the policy is loaded (`validateLiterals`); one that arrives at run time makes the call
 * Indeterminate (processing-error).
 */
import { RE2JS } from 're2js';
import { DT } from '../model/identifiers';
import { processingError } from '../model/status';
import type { AttributeValue, ExprValue } from '../model/values';
import { isAttributeValue } from '../model/values';
import type { Datatype } from '../datatypes/datatype';
import { AnyURIType, DnsNameType, IpAddressType, Rfc822NameType, StringType, X500NameType, booleanValue } from '../datatypes/registry';
import type { EagerFunctionDef } from './function-def';
import { F1, F2 } from './ids';
import { RegexTranslationError, translateXPathRegex } from './regex-translate';
import { defineEager, value } from './signature';

const CACHE_LIMIT = 500;
/** Longer patterns are refused: compiling one is linear but not free, and patterns may come from requests. */
const MAX_PATTERN_LENGTH = 4096;
const cache = new Map<string, RE2JS | string>();

/** The compiled pattern, or the message saying why it is not a valid one. */
export function compileXPathRegex(pattern: string): RE2JS | string {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let result: RE2JS | string;
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `invalid regular expression: longer than ${MAX_PATTERN_LENGTH} characters`;
  }
  try {
    result = RE2JS.compile(translateXPathRegex(pattern));
  } catch (e) {
    result =
      e instanceof RegexTranslationError
        ? e.message
        : `invalid regular expression "${pattern}": ${e instanceof Error ? e.message : String(e)}`;
  }
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(pattern, result);
  return result;
}

/** fn:matches(input, pattern) without flags. */
export function xpathMatches(pattern: string, input: string): boolean {
  const re = compileXPathRegex(pattern);
  if (typeof re === 'string') throw processingError(re);
  return re.test(input);
}

function validatePattern(literals: readonly (ExprValue | undefined)[]): string | undefined {
  const p = literals[0];
  if (p === undefined || !isAttributeValue(p) || typeof p.value !== 'string') return undefined;
  const re = compileXPathRegex(p.value);
  return typeof re === 'string' ? re : undefined;
}

function regexpFn<T>(id: string, type: Datatype<T>): EagerFunctionDef {
  const format = type.format;
  return defineEager(
    id,
    { params: [value(DT.string), value(type.id)], returns: value(DT.boolean) },
    (args) =>
      booleanValue(xpathMatches((args[0] as AttributeValue<string>).value, format((args[1] as AttributeValue<T>).value))),
    { validateLiterals: validatePattern },
  );
}

export const REGEXP_FUNCTIONS: readonly EagerFunctionDef[] = [
  regexpFn(`${F1}string-regexp-match`, StringType),
  regexpFn(`${F2}anyURI-regexp-match`, AnyURIType),
  regexpFn(`${F2}ipAddress-regexp-match`, IpAddressType),
  regexpFn(`${F2}dnsName-regexp-match`, DnsNameType),
  regexpFn(`${F2}rfc822Name-regexp-match`, Rfc822NameType),
  regexpFn(`${F2}x500Name-regexp-match`, X500NameType),
];
