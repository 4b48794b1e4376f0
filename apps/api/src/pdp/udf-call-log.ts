/**
 * UDF calls made during one evaluation, for the decision log: the registry's observer files
 * each call (service, arguments, result or error, duration) under the evaluation's context
 * (the AsyncLocalStorage store the PDP service runs the evaluation in). A traced evaluation
 * (log detail full) then carries each successful call's result in its trace entry, so the
 * decision log's `calls` show `udf <URN> <serviceId> <args> → <result>`.
 */
import type { UdfCallEvent } from '@safax/udf-client';
import type { Pdp, TraceEntry } from '@safax/xacml';
import { evaluationContext } from './evaluation-context';
import type { EvaluationContext } from './evaluation-context';

/** One UDF call as the decision log keeps it. */
export interface UdfCallRecord {
  readonly kind: 'udf';
  readonly serviceId: string;
  readonly functionUrn?: string;
  readonly args: readonly (readonly string[])[];
  readonly result?: readonly string[];
  readonly error?: string;
  readonly cached: boolean;
  readonly ms: number;
}

const byEvaluation = new WeakMap<EvaluationContext, UdfCallRecord[]>();

export function recordUdfCall(e: UdfCallEvent): void {
  const ctx = evaluationContext.getStore();
  if (!ctx) return;
  let list = byEvaluation.get(ctx);
  if (!list) {
    list = [];
    byEvaluation.set(ctx, list);
  }
  list.push({
    kind: 'udf',
    serviceId: e.serviceId,
    ...(e.functionUrn !== undefined ? { functionUrn: e.functionUrn } : {}),
    args: e.args,
    ...(e.result !== undefined ? { result: e.result } : {}),
    ...(e.error !== undefined ? { error: `${e.error.reason}: ${e.error.message}` } : {}),
    cached: e.cached,
    ms: Math.round(e.durationMs * 1000) / 1000,
  });
}

/** The UDF calls recorded under this evaluation context (the caller object given to evaluationContext.run). */
export function udfCallsOf(ctx: EvaluationContext): readonly UdfCallRecord[] {
  return byEvaluation.get(ctx) ?? [];
}

const sortedArgs = (args: readonly (readonly string[])[]): string => JSON.stringify(args.map((values) => [...values].sort()));

/** The trace entry of a UDF call (key `udf <URN> <serviceId> <JSON args>`), with its result appended. */
function withResult(entry: Extract<TraceEntry, { kind: 'external' }>, calls: readonly UdfCallRecord[]): TraceEntry {
  if (entry.error !== undefined || !entry.key.startsWith('udf ')) return entry;
  for (const c of calls) {
    if (c.result === undefined || c.functionUrn === undefined) continue;
    const prefix = `udf ${c.functionUrn} ${c.serviceId} `;
    if (!entry.key.startsWith(prefix)) continue;
    let args: unknown;
    try {
      args = JSON.parse(entry.key.slice(prefix.length));
    } catch {
      continue;
    }
    if (Array.isArray(args) && sortedArgs(args as string[][]) === sortedArgs(c.args)) return { ...entry, key: `${entry.key} → ${JSON.stringify(c.result)}` };
  }
  return entry;
}

/** A PDP whose traced evaluations show each UDF call's result (see the module comment). */
export function withUdfResultsInTrace(pdp: Pdp): Pdp {
  return {
    policies: pdp.policies,
    rootIds: pdp.rootIds,
    estimatedBytes: pdp.estimatedBytes,
    warnings: pdp.warnings,
    literals: (category, attributeId) => pdp.literals(category, attributeId),
    async evaluate(request, options) {
      const evaluation = await pdp.evaluate(request, options);
      const ctx = evaluationContext.getStore();
      const calls = ctx ? udfCallsOf(ctx) : [];
      if (!evaluation.traces || calls.length === 0) return evaluation;
      return { ...evaluation, traces: evaluation.traces.map((list) => list.map((e) => (e.kind === 'external' ? withResult(e, calls) : e))) };
    },
  };
}
