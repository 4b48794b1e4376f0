/** What compiling one policy document needs: functions, issues, variables in scope, options. */
import type { FunctionDef } from '../functions/function-def';
import type { IssueCollector } from '../model/errors';
import type { VariableDefinitionNode } from '../model/policy-ast';
import type { AttributeValue } from '../model/values';
import { attributeRef, type AttributeRef } from '../evaluate/eval-state';
import type { CompiledExpr } from './expression';
import type { LeniencyLog } from './leniency';

export interface FunctionLookup {
  get(id: string): FunctionDef | undefined;
}

export interface VariableSlot {
  readonly node: VariableDefinitionNode;
  compiled?: CompiledExpr;
  compiling: boolean;
}

export interface CompileScope {
  readonly functions: FunctionLookup;
  readonly issues: IssueCollector;
  /** Variables of the enclosing Policy; undefined outside a Policy. */
  readonly variables?: ReadonlyMap<string, VariableSlot>;
  readonly xpath: boolean;
  readonly intern: Interner;
  /** Estimated heap bytes of what the compilation built so far (caches budget by it). */
  readonly footprint: Footprint;
  /** Compatibility mode: where leniencies are recorded. Absent in strict mode. */
  readonly lenient?: LeniencyLog;
}

/**
 * Heap bytes a compiled PDP holds, estimated from what was built (weights measured with heap
 * snapshots on node 20: closures with their contexts, arrays, nodes). Errs on the high side.
 */
export class Footprint {
  bytes = 0;
  static readonly RULE = 320;
  static readonly POLICY = 640;
  static readonly MATCH = 160;
  static readonly EXPRESSION = 200;
  static readonly PEP_ACTION = 400;
  static readonly INDEX_ENTRY = 40;
  static readonly INDEX_NODE = 240;
  /** The PDP object, its root, policy summaries, shared literals and designators. */
  static readonly BASE = 4096;

  add(bytes: number): void {
    this.bytes += bytes;
  }
}

/**
 * One instance per compilation: equal literals and equal designators become one shared,
 * immutable object. A 10,000-rule policy names a few dozen attributes and values thousands
 * of times; sharing them keeps the compiled PDP small and the compilation quick.
 */
export class Interner {
  // Nested maps keyed by the strings as they come: no key is built per lookup.
  private readonly values = new Map<string, Map<string, AttributeValue>>();
  private readonly refs = new Map<string, Map<string, Map<string, AttributeRef[]>>>();

  /** The literal `lexical` of `datatype`, parsed once (`parse` throws on an invalid value). */
  value(datatype: string, lexical: string, parse: (lexical: string) => AttributeValue): AttributeValue {
    let byLexical = this.values.get(datatype);
    if (!byLexical) this.values.set(datatype, (byLexical = new Map()));
    let v = byLexical.get(lexical);
    if (v === undefined) {
      v = parse(detach(lexical));
      byLexical.set(lexical, v);
    }
    return v;
  }

  ref(category: string, attributeId: string, datatype: string, issuer: string | undefined, mustBePresent: boolean): AttributeRef {
    let byId = this.refs.get(category);
    if (!byId) this.refs.set(category, (byId = new Map()));
    let byType = byId.get(attributeId);
    if (!byType) byId.set(attributeId, (byType = new Map()));
    let list = byType.get(datatype);
    if (!list) byType.set(datatype, (list = []));
    for (const r of list) if (r.issuer === issuer && r.mustBePresent === mustBePresent) return r;
    const r = attributeRef(detach(category), detach(attributeId), detach(datatype), issuer === undefined ? undefined : detach(issuer), mustBePresent);
    list.push(r);
    return r;
  }
}

/**
 * A copy of `s` that does not point into the document it was read from: a string sliced out of
 * a 13 MB policy would otherwise keep the whole text alive as long as the compiled PDP.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}
