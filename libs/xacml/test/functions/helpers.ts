/** Test helpers: build values, type-check and call a standard function the way the engine does. */
import type { Node } from '@xmldom/xmldom';
import { parseValue } from '../../src/datatypes/registry';
import type { ValueParseContext } from '../../src/datatypes/datatype';
import type { EvalContext } from '../../src/evaluate/eval-context';
import type { CheckResult, FunctionDef, StaticType } from '../../src/functions/function-def';
import { STANDARD_FUNCTIONS } from '../../src/functions/registry';
import { IndeterminateError } from '../../src/model/status';
import type { AttributeValue, Bag, ExprValue, FunctionArg } from '../../src/model/values';
import { isBag, isFunctionArg } from '../../src/model/values';

export const XS = 'http://www.w3.org/2001/XMLSchema#';
export const F1 = 'urn:oasis:names:tc:xacml:1.0:function:';
export const F2 = 'urn:oasis:names:tc:xacml:2.0:function:';
export const F3 = 'urn:oasis:names:tc:xacml:3.0:function:';

export function v(type: string, lexical: string, ctx?: ValueParseContext): AttributeValue {
  return parseValue(type.includes(':') ? type : `${XS}${type}`, lexical, ctx);
}

export function bagOf(type: string, ...lexicals: string[]): Bag {
  const id = type.includes(':') ? type : `${XS}${type}`;
  return { kind: 'bag', datatype: id, values: lexicals.map((l) => parseValue(id, l)) };
}

export function fn(id: string): FunctionArg {
  const def = STANDARD_FUNCTIONS.get(id);
  if (!def) throw new Error(`no function ${id}`);
  return { kind: 'function', fn: def };
}

export function staticTypeOf(a: ExprValue): StaticType {
  if (isFunctionArg(a)) return { kind: 'function', fn: a.fn };
  if (isBag(a)) return { kind: 'bag', datatype: a.datatype };
  return { kind: 'value', datatype: a.datatype.id };
}

export function def(id: string): FunctionDef {
  const d = STANDARD_FUNCTIONS.get(id);
  if (!d) throw new Error(`no function ${id}`);
  return d;
}

export function check(id: string, ...types: StaticType[]): CheckResult {
  return def(id).check(types);
}

/** A context whose `<Content>` per category is given. */
export function contextWith(content: Readonly<Record<string, Node>> = {}): EvalContext {
  return {
    content: (category) => content[category],
    external: () => {
      throw new Error('no external work in these tests');
    },
  };
}

/** Type-checks the call like the compiler, then invokes it like the evaluator. */
export function call(id: string, args: readonly ExprValue[], ctx: EvalContext = contextWith()): ExprValue {
  const d = def(id);
  const checked = d.check(args.map(staticTypeOf));
  if (!checked.ok) throw new Error(`check failed: ${checked.message}`);
  const result = d.lazy ? d.invoke(args.map((a) => () => a), ctx) : d.invoke(args, ctx);
  if (checked.type.kind === 'value') expect((result as AttributeValue).datatype.id).toBe(checked.type.datatype);
  if (checked.type.kind === 'bag') expect((result as Bag).datatype).toBe(checked.type.datatype);
  return result;
}

/** The JS value of a call's single-value result. */
export function val(id: string, ...args: ExprValue[]): unknown {
  return (call(id, args) as AttributeValue).value;
}

/** The formatted members of a bag result. */
export function members(result: ExprValue): string[] {
  return (result as Bag).values.map((x) => x.datatype.format(x.value));
}

/** The status code of the Indeterminate a call raises. */
export function indeterminate(id: string, args: readonly ExprValue[], ctx?: EvalContext): { code: string; message: string } {
  try {
    call(id, args, ctx);
  } catch (e) {
    if (e instanceof IndeterminateError) return { code: e.status.code, message: e.status.message ?? '' };
    throw e;
  }
  throw new Error(`${id} did not raise Indeterminate`);
}

export const PROCESSING_ERROR = 'urn:oasis:names:tc:xacml:1.0:status:processing-error';
export const SYNTAX_ERROR = 'urn:oasis:names:tc:xacml:1.0:status:syntax-error';
