/**
 * The PDP: compiles a set of policy documents once, then decides requests. Evaluation is
 * synchronous and pure; when it needs asynchronous work (a resolver, a UDF) it suspends, the
 * work is awaited, and the evaluation re-runs with the result memoised — so a request that
 * needs nothing external never waits on a promise chain per expression.
 */
import { STANDARD_FUNCTIONS } from './functions/registry';
import type { FunctionDef } from './functions/function-def';
import { POLICY_ALGORITHMS } from './combining/registry';
import type { Combinable } from './combining/combinable';
import { IssueCollector, XacmlError, type XacmlIssue } from './model/errors';
import { STATUS } from './model/identifiers';
import type { PolicyChildNode, PolicyDocument } from './model/policy-ast';
import type { RequestCategory, XacmlRequest } from './model/request';
import type { IdReference, XacmlResponse, XacmlResult } from './model/response';
import { STATUS_OK, type Status } from './model/status';
import type { Evaluation, EvaluateOptions, PdpOptions, PolicySource, TraceEntry } from './pdp-types';
import { parsePolicyXml } from './parse/policy-xml';
import { DEFAULT_MAX_INDIVIDUAL_REQUESTS, individualRequests, type IndividualRequest } from './request/individual-requests';
import { expandScope, needsScopeExpansion } from './request/hierarchy';
import { createTreeCompiler } from './compile/policy-tree';
import { ALWAYS } from './compile/target';
import { compareVersions } from './compile/version-match';
import { detach, Footprint } from './compile/scope';
import { CompiledPolicy } from './evaluate/nodes';
import { EvalState } from './evaluate/eval-state';
import { ExternalWork, messageOf } from './evaluate/external-work';
import { D, decisionName, type Outcome } from './evaluate/outcome';
import { SUSPEND } from './evaluate/suspend';
import { DEFAULT_EVALUATION_LIMITS, EvaluationLimitError, type EvaluationLimits } from './evaluate/limits';
import { withDefaults } from './xml/limits';
import { LeniencyLog, type CompatibilityWarning } from './compile/leniency';
import { collectLiterals, literalKey, type LiteralIndex } from './compile/policy-literals';

export interface PolicySummary {
  readonly id: string;
  readonly version: string;
  readonly kind: 'Policy' | 'PolicySet';
}

export interface Pdp {
  evaluate(request: XacmlRequest, options?: EvaluateOptions): Promise<Evaluation>;
  /** Every loaded document. */
  readonly policies: readonly PolicySummary[];
  /** Ids of the root policies. */
  readonly rootIds: readonly string[];
  /** Heap bytes the compiled policies hold, estimated (on the high side) as they were built. */
  readonly estimatedBytes: number;
  /** Compatibility mode: every leniency applied while loading ([] in strict mode). */
  readonly warnings: readonly CompatibilityWarning[];
  /**
   * The values the policies compare an attribute with (target matches, equality and is-in in
   * conditions), lexical and sorted: candidates for searches over subjects, resources, actions.
   */
  literals(category: string, attributeId: string): readonly string[];
}

const DEFAULT_ROOT_ALGORITHM = 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-overrides';
/** Restarts of one evaluation after external work; bounds a policy that keeps asking for more. */
const MAX_RESTARTS = 256;

/** Compiles policies into a PDP. Throws XacmlError (kind 'policy') listing every static error. */
export function compilePdp(sources: readonly PolicySource[], options: PdpOptions = {}): Pdp {
  const limits = withDefaults(options.limits);
  const lenient = options.compatibility === true ? new LeniencyLog() : undefined;
  const issues: XacmlIssue[] = [];
  const documents: PolicyDocument[] = [];
  const unreadable: { readonly id: string | undefined; readonly issues: readonly XacmlIssue[]; readonly name?: string }[] = [];
  for (const src of sources) {
    try {
      documents.push(parsePolicyXml(src.text, limits));
    } catch (e) {
      if (!(e instanceof XacmlError)) throw e;
      const named = e.issues.map((i) => (src.name ? { ...i, message: `${src.name}: ${i.message}` } : i));
      unreadable.push({ id: declaredId(src.text), issues: named, ...(src.name ? { name: src.name } : {}) });
    }
  }
  const referenced = referencedIds(documents);
  for (const u of unreadable) {
    // Compatibility mode: a refused document that others reference is left out; the
    // references to it become Indeterminate. One nobody references is still an error.
    if (lenient && u.id !== undefined && referenced.has(u.id)) {
      lenient.add('refused-policy', '/', `${u.name ? `${u.name}: ` : ''}policy ${u.id} is refused (${u.issues[0]!.message}); references to it are Indeterminate (processing-error) when reached`, undefined, u.issues[0]!.code);
    } else issues.push(...u.issues);
  }
  if (issues.length > 0) throw new XacmlError('policy', issues);
  if (documents.length === 0) throw new XacmlError('policy', [{ code: 'invalid-structure', path: '/', message: 'no policy to load' }]);

  const collector = new IssueCollector('policy');
  const seen = new Map<string, PolicyDocument>();
  for (const d of documents) {
    const key = `${d.kind}\u0000${d.id}\u0000${d.version}`;
    if (seen.has(key)) collector.add('duplicate-id', d.path, `${d.kind} ${d.id} version ${d.version} is loaded twice`, d.line);
    seen.set(key, d);
  }

  const roots = chooseRoots(documents, options.rootPolicyIds, collector);
  const provider = options.functionProvider;
  const functions = provider
    ? { get: (id: string): FunctionDef | undefined => STANDARD_FUNCTIONS.get(id) ?? provider.find(id) }
    : STANDARD_FUNCTIONS;
  const footprint = new Footprint();
  const compiler = createTreeCompiler(documents, functions, collector, options.xpath ?? true, options.targetIndex ?? true, footprint, lenient);
  // Every document is compiled, referenced or not, so none that is invalid loads silently.
  const compiledRoots = roots.map((r) => compiler.compile(r));
  for (const d of documents) compiler.compile(d);
  for (const d of documents) {
    const own = compiler.issuesOf(d);
    if (own.length === 0) continue;
    if (lenient && referenced.has(d.id) && !roots.includes(d)) {
      lenient.add('refused-policy', d.path, `${d.kind} ${d.id} is refused (${own[0]!.message}); references to it are Indeterminate (processing-error) when reached`, d.line, own[0]!.code);
    } else for (const i of own) collector.add(i.code, i.path, i.message, i.line);
  }

  let rootNode: Combinable | undefined;
  // A configured root algorithm applies to one root too (e.g. to turn its NotApplicable or
  // Indeterminate{P} into what the operator chose); without one, a single root stands alone.
  if (roots.length > 1 || options.rootCombiningAlgorithm !== undefined) {
    const algId = options.rootCombiningAlgorithm ?? DEFAULT_ROOT_ALGORITHM;
    const alg = POLICY_ALGORITHMS.get(algId);
    if (!alg) collector.add('unknown-combining-algorithm', '/', `unknown root combining algorithm ${algId}`);
    else if (compiledRoots.every((r) => r)) {
      rootNode = new RootCombination(new CompiledPolicy('PolicySet', '', '', ALWAYS, alg, fixedChildren(compiledRoots as CompiledPolicy[]), [], []));
    }
  } else {
    rootNode = compiledRoots[0];
  }
  collector.throwIfAny();
  if (!rootNode) throw new XacmlError('policy', [{ code: 'invalid-structure', path: '/', message: 'no root policy' }]);

  return new CompiledPdp(
    rootNode,
    // Detached: a summary sliced from a document would keep its whole source text.
    documents.map((d) => ({ id: detach(d.id), version: detach(d.version), kind: d.kind })),
    roots.map((r) => detach(r.id)),
    options,
    footprint.bytes + Footprint.BASE,
    lenient?.warnings ?? [],
    collectLiterals(documents),
  );
}

/**
 * The root set's children, from a function of its own: a closure created inside compilePdp
 * would share compilePdp's context, which holds the tree compiler, and with it the parsed
 * documents and their source text, for as long as the PDP lives.
 */
function fixedChildren(children: readonly CompiledPolicy[]): { select(): readonly CompiledPolicy[] } {
  return { select: () => children };
}

/** The PolicyId or PolicySetId a document declares, read from its text (for one that did not parse). */
function declaredId(text: string): string | undefined {
  return /<(?:[\w.-]+:)?Policy(?:Set)?\b[^>]*?\sPolicy(?:Set)?Id\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
}

/** Ids named by any Policy(Set)IdReference of the documents. */
function referencedIds(documents: readonly PolicyDocument[]): Set<string> {
  const out = new Set<string>();
  const visit = (n: PolicyChildNode): void => {
    if (n.kind === 'PolicyRef' || n.kind === 'PolicySetRef') out.add(n.id);
    else if (n.kind === 'PolicySet') n.children.forEach(visit);
  };
  documents.forEach(visit);
  return out;
}

/** Roots: the ones named, or every document no other document references. */
function chooseRoots(documents: readonly PolicyDocument[], named: readonly string[] | undefined, issues: IssueCollector): PolicyDocument[] {
  if (named && named.length > 0) {
    const out: PolicyDocument[] = [];
    for (const id of named) {
      const matches = documents.filter((d) => d.id === id);
      if (matches.length === 0) issues.add('undefined-reference', '/', `root policy ${id} is not loaded`);
      else out.push(matches.reduce((a, b) => (compareVersions(a.version, b.version) >= 0 ? a : b)));
    }
    return out;
  }
  const referenced = new Set<string>();
  const collect = (d: PolicyChildNode): void => {
    if (d.kind !== 'PolicySet') return;
    for (const c of d.children) {
      if (c.kind === 'PolicyRef' || c.kind === 'PolicySetRef') referenced.add(`${c.kind === 'PolicyRef' ? 'Policy' : 'PolicySet'}\u0000${c.id}`);
      else collect(c);
    }
  };
  documents.forEach(collect);
  const roots = documents.filter((d) => !referenced.has(`${d.kind}\u0000${d.id}`));
  if (roots.length === 0) issues.add('circular-reference', '/', 'every loaded policy is referenced by another: there is no root (circular references?)');
  return roots;
}

/** Several roots combined: the synthetic set itself is not reported as an applicable policy. */
class RootCombination implements Combinable {
  constructor(private readonly set: CompiledPolicy) {}
  applicable(): 0 {
    return 0;
  }
  evaluate(s: EvalState): Outcome {
    const o = this.set.evaluate(s);
    const last = s.trace?.[s.trace.length - 1];
    if (last && last.kind === 'policySet' && last.id === '') s.trace!.pop();
    if (!o.policySets) return o;
    return { ...o, policySets: o.policySets.filter((p) => p.id !== '') };
  }
}

class CompiledPdp implements Pdp {
  constructor(
    private readonly root: Combinable,
    readonly policies: readonly PolicySummary[],
    readonly rootIds: readonly string[],
    private readonly options: PdpOptions,
    readonly estimatedBytes: number,
    readonly warnings: readonly CompatibilityWarning[],
    private readonly literalIndex: LiteralIndex,
  ) {
    this.limits = { ...DEFAULT_EVALUATION_LIMITS, ...options.evaluationLimits };
  }

  private readonly limits: EvaluationLimits;

  literals(category: string, attributeId: string): readonly string[] {
    return this.literalIndex.get(literalKey(category, attributeId)) ?? [];
  }

  async evaluate(request: XacmlRequest, options: EvaluateOptions = {}): Promise<Evaluation> {
    const individual = individualRequests(request);
    const results: XacmlResult[] = [];
    const traces: TraceEntry[][] | undefined = options.trace ? [] : undefined;
    const scoped = needsScopeExpansion(individual);
    for (const one of individual) {
      // Hierarchical resources: a scope makes one decision per node it covers.
      const expanded = scoped ? await expandScope(one, this.options.hierarchy, DEFAULT_MAX_INDIVIDUAL_REQUESTS) : { requests: [one] };
      if ('error' in expanded) {
        results.push(toResult({ d: D.IndeterminateDP, status: expanded.error, obligations: [], advice: [] }, one, false));
        traces?.push([]);
        continue;
      }
      for (const ind of expanded.requests) {
        const trace = traces ? [] : undefined;
        results.push(await this.decide(ind, options, trace));
        if (trace) traces!.push(trace);
      }
    }
    const response: XacmlResponse = { results: request.combinedDecision ? combine(results) : results };
    return traces ? { response, traces } : { response };
  }

  private async decide(ind: IndividualRequest, options: EvaluateOptions, trace: TraceEntry[] | undefined): Promise<XacmlResult> {
    const work = new ExternalWork(options.timeoutMs, trace);
    const services = {
      root: this.root,
      limits: this.limits,
      ...(this.options.attributeResolver ? { resolver: this.options.attributeResolver } : {}),
      ...(this.options.compatibility ? { compatibility: true } : {}),
      ...(this.options.hierarchy ? { hierarchy: this.options.hierarchy } : {}),
    };
    const now = new Date();
    const collectIds = ind.returnPolicyIdList || this.options.alwaysReturnPolicyIdList === true;
    for (let attempt = 0; attempt <= MAX_RESTARTS; attempt++) {
      const attemptTrace = trace ? [] : undefined;
      const s = new EvalState(ind, work, services, now, attemptTrace, collectIds);
      let outcome: Outcome;
      try {
        outcome = this.root.evaluate(s);
      } catch (e) {
        if (e === SUSPEND) {
          await work.drain();
          continue;
        }
        outcome = { d: D.IndeterminateDP, status: failureStatus(e), obligations: [], advice: [] };
      }
      if (trace && attemptTrace) {
        // External work entries were recorded by `work` as they settled; rule/policy entries of the final attempt only.
        trace.push(...attemptTrace);
      }
      return toResult(outcome, ind, collectIds);
    }
    return toResult({ d: D.IndeterminateDP, status: { code: STATUS.processingError, message: 'evaluation needed too many external lookups' }, obligations: [], advice: [] }, ind, collectIds);
  }
}

/** The status of an evaluation that stopped: a limit named, a stack exhausted said so, anything else a defect. */
function failureStatus(e: unknown): Status {
  if (e instanceof EvaluationLimitError) return e.status;
  // Kept from a policy by maxPolicyDepth; should anything else nest this deep, say what happened.
  if (e instanceof RangeError && /call stack/i.test(e.message)) return { code: STATUS.processingError, message: 'evaluation limit exceeded: the policies nest too deeply to evaluate' };
  // A defect must not take the service down or pass as a decision: report it as Indeterminate.
  return { code: STATUS.processingError, message: `internal error: ${messageOf(e)}` };
}

function toResult(o: Outcome, ind: IndividualRequest, collectIds: boolean): XacmlResult {
  const decision = decisionName(o.d);
  const status: Status = decision === 'Indeterminate' ? (o.status ?? { code: STATUS.processingError }) : STATUS_OK;
  const decided = decision === 'Permit' || decision === 'Deny';
  const result: { -readonly [K in keyof XacmlResult]: XacmlResult[K] } = {
    decision,
    status,
    obligations: decided ? o.obligations : [],
    advice: decided ? o.advice : [],
    attributes: includedAttributes(ind.categories),
  };
  if (collectIds) {
    result.policyIdentifiers = {
      policies: dedupe(o.d === D.NotApplicable ? [] : (o.policies ?? [])),
      policySets: dedupe(o.d === D.NotApplicable ? [] : (o.policySets ?? [])),
    };
  }
  return result;
}

function dedupe(refs: readonly IdReference[]): readonly IdReference[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.id}\u0000${r.version}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function includedAttributes(categories: readonly RequestCategory[]): readonly RequestCategory[] {
  const out: RequestCategory[] = [];
  for (const c of categories) {
    const attrs = c.attributes.filter((a) => a.includeInResult);
    if (attrs.length > 0) out.push({ category: c.category, attributes: attrs });
  }
  return out;
}

/** CombinedDecision (MDP §3): one result when all agree and carry no obligations or advice. */
function combine(results: readonly XacmlResult[]): XacmlResult[] {
  const first = results[0];
  if (!first) return [];
  const same = results.every((r) => r.decision === first.decision && r.obligations.length === 0 && r.advice.length === 0);
  if (same && first.decision !== 'Indeterminate') return [{ decision: first.decision, status: STATUS_OK, obligations: [], advice: [], attributes: [] }];
  return [{
    decision: 'Indeterminate',
    status: { code: STATUS.processingError, message: 'the individual decisions differ or carry obligations or advice' },
    obligations: [], advice: [], attributes: [],
  }];
}
