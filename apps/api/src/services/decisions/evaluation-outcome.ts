/**
 * Shared by every PDP wire format: run an evaluation under the caller's transaction, and turn
 * its response into a decision log entry.
 */
import { performance } from 'node:perf_hooks';
import type { Evaluation, TraceEntry, XacmlRequest, XacmlResponse } from '@safax/xacml';
import { STATUS } from '@safax/xacml';
import type { AppDeps } from '../../app-deps';
import type { DecisionTraceEntry, ExternalCall } from '../../repositories/ports';
import type { DomainPdp } from '../../pdp/pdp-registry';
import { evaluationContext } from '../../pdp/evaluation-context';
import { summariseRequest } from './request-summary';
import type { RequestSummary } from './request-summary';

export interface Caller {
  readonly txId: string;
  readonly callerId: string | null;
}

const NOT_APPLICABLE: XacmlResponse = {
  results: [{ decision: 'NotApplicable', status: { code: STATUS.ok }, obligations: [], advice: [], attributes: [] }],
};

/**
 * Evaluates; a domain without active policies answers NotApplicable. `full` keeps the policy
 * id list the cached PDP always computes (for the log); `response` shows it only when the
 * request or the domain's configuration asked for it.
 */
export interface EvaluationRun {
  readonly response: XacmlResponse;
  readonly full: XacmlResponse;
  readonly ms: number;
  /** External calls, when the domain logs in full (the engine traces only then). */
  readonly calls: readonly ExternalCall[];
  /** Rule/policy trace, when traced (log detail full, or a test evaluation); null otherwise. */
  readonly trace: readonly DecisionTraceEntry[] | null;
  /** Subject, action and resource of the request, for the log's columns. */
  readonly summary: RequestSummary;
}

/** At most this many trace steps are kept per decision (a 10,000-rule domain must not bloat the log). */
export const MAX_TRACE_ENTRIES = 2000;

/** The rule/policy steps of the engine's traces, in order; `result` numbers them when a request had several. */
export function ruleTrace(traces: Evaluation['traces']): DecisionTraceEntry[] | null {
  if (traces === undefined) return null;
  const out: DecisionTraceEntry[] = [];
  const many = traces.length > 1;
  traces.forEach((t, result) => {
    for (const e of t) {
      if (out.length >= MAX_TRACE_ENTRIES) return;
      const at = many ? { result } : {};
      if (e.kind === 'rule') out.push({ kind: 'rule', id: e.id, policyId: e.policyId, decision: e.decision, ...at });
      else if (e.kind === 'policy' || e.kind === 'policySet') out.push({ kind: e.kind, id: e.id, version: e.version, decision: e.decision, ...at });
    }
  });
  return out;
}

export interface RunOptions {
  /** Trace whatever the domain's log detail (owners' test evaluations). */
  readonly trace?: boolean;
}

function externalCalls(traces: Evaluation['traces']): ExternalCall[] {
  const out: ExternalCall[] = [];
  for (const t of traces ?? []) {
    for (const e of t as readonly TraceEntry[]) {
      if (e.kind === 'attribute') {
        out.push({ kind: 'attribute', target: e.query.attributeId, ms: Math.round(e.ms * 1000) / 1000, ...(e.values ? { values: e.values.length } : {}), ...(e.error !== undefined ? { error: e.error } : {}) });
      } else if (e.kind === 'external') {
        out.push({ kind: 'external', target: e.key, ms: Math.round(e.ms * 1000) / 1000, ...(e.error !== undefined ? { error: e.error } : {}) });
      }
    }
  }
  return out;
}

export async function runEvaluation(entry: DomainPdp, request: XacmlRequest, caller: Caller, opts: RunOptions = {}): Promise<EvaluationRun> {
  const start = performance.now();
  let evaluation: Evaluation;
  if (entry.compileError !== undefined) {
    evaluation = {
      response: {
        results: [{ decision: 'Indeterminate', status: { code: STATUS.processingError, message: `the domain's policies do not compile: ${entry.compileError}` }, obligations: [], advice: [], attributes: [] }],
      },
    };
  } else if (entry.pdp === null) evaluation = { response: NOT_APPLICABLE };
  else {
    const pdp = entry.pdp;
    // Tracing costs: only when the log keeps it, or the owner asked (test evaluations).
    const trace = opts.trace === true || entry.config.logDetail === 'full';
    evaluation = await evaluationContext.run(caller, () => pdp.evaluate(request, { timeoutMs: entry.config.evaluationTimeoutMs, trace }));
  }
  const full = evaluation.response;
  const response = request.returnPolicyIdList || entry.config.returnPolicyIdList ? full : { results: full.results.map(({ policyIdentifiers: _p, ...rest }) => rest) };
  return { response, full, ms: performance.now() - start, calls: externalCalls(evaluation.traces), trace: ruleTrace(evaluation.traces), summary: summariseRequest(request) };
}

export function summarise(response: XacmlResponse): { decision: string; statusCode: string; obligations: string[]; policies: string[] } {
  const decisions = new Set(response.results.map((r) => r.decision));
  const first = response.results[0];
  const notOk = response.results.find((r) => r.status.code !== STATUS.ok);
  const policies = new Set<string>();
  for (const r of response.results) {
    for (const p of r.policyIdentifiers?.policies ?? []) policies.add(`${p.id} v${p.version}`);
    for (const p of r.policyIdentifiers?.policySets ?? []) policies.add(`${p.id} v${p.version}`);
  }
  return {
    decision: decisions.size === 1 && first ? first.decision : 'Mixed',
    statusCode: (notOk ?? first)?.status.code ?? STATUS.ok,
    obligations: [...new Set(response.results.flatMap((r) => r.obligations.map((o) => o.id)))],
    policies: [...policies],
  };
}

/**
 * Logs the decision: resolves once the entry is committed in durable mode, at once in
 * write-behind mode (see DecisionLogWriter); the caller answers only after it resolves.
 * `testedBy` marks an owner's test evaluation: it is logged in full (request, response,
 * trace) whatever the domain's log detail.
 */
export function logDecision(deps: Pick<AppDeps, 'decisionLog' | 'metrics'>, entry: DomainPdp, caller: Caller, format: string, run: EvaluationRun, bodies: { request: string; response: string }, testedBy?: string): Promise<void> {
  const { full, ms } = run;
  const s = summarise(full);
  deps.metrics?.decision(entry.domain.id, s.decision, format, ms / 1000);
  const detail = testedBy !== undefined ? 'full' : entry.config.logDetail;
  if (detail === 'none') return Promise.resolve();
  return deps.decisionLog.enqueue({
    txId: caller.txId,
    domainId: entry.domain.id,
    time: new Date(),
    callerId: caller.callerId,
    format,
    decision: s.decision,
    statusCode: s.statusCode,
    request: detail === 'full' ? bodies.request : null,
    response: detail === 'full' ? bodies.response : null,
    obligations: s.obligations,
    policies: s.policies,
    calls: run.calls,
    durationMs: Math.round(ms * 1000) / 1000,
    trace: detail === 'full' ? run.trace : null,
    testedBy: testedBy ?? null,
    ...run.summary,
  });
}
