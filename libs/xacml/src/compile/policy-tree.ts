/**
 * Compiles policy documents into the evaluable tree: resolves references (with version
 * constraints, refusing undefined and circular ones), checks id uniqueness, looks up combining
 * algorithms, compiles targets, conditions, variables, obligations and advice, and indexes
 * children by target. Every static error is collected with its path.
 */
import type { CombiningAlgorithm, Combinable } from '../combining/combinable';
import { POLICY_ALGORITHMS, RULE_ALGORITHMS } from '../combining/registry';
import { IssueCollector, type XacmlErrorCode, type XacmlIssue } from '../model/errors';
import { DT, STATUS } from '../model/identifiers';
import type { Status } from '../model/status';
import type { Applicability } from '../combining/combinable';
import type {
  PepActionNode,
  PolicyChildNode,
  PolicyDocument,
  PolicyNode,
  PolicyReferenceNode,
  PolicySetNode,
  RuleNode,
} from '../model/policy-ast';
import { CompiledPolicy, CompiledRule, type CompiledPepAction } from '../evaluate/nodes';
import { D, indeterminate, type Outcome } from '../evaluate/outcome';
import type { LeniencyCode, LeniencyLog } from './leniency';
import { compileExpression, compileVariable, describeType, isInvalid } from './expression';
import { detach, Footprint, Interner, type CompileScope, type FunctionLookup, type VariableSlot } from './scope';
import { compileTarget, type TargetShape } from './target';
import { indexChildren, type Candidates } from './target-index';
import { compareVersions, versionSatisfies } from './version-match';

export interface TreeCompiler {
  compile(doc: PolicyDocument): CompiledPolicy | undefined;
  /** The static errors of one document (its inline tree), once it was compiled. */
  issuesOf(doc: PolicyDocument): readonly XacmlIssue[];
}

/** Compatibility mode: a reference that could not be compiled, Indeterminate when reached. */
class UnavailableReference implements Combinable {
  private readonly status: Status;
  constructor(message: string) {
    this.status = { code: STATUS.processingError, message };
  }
  applicable(): Applicability {
    return this.status;
  }
  evaluate(): Outcome {
    return indeterminate(D.IndeterminateDP, this.status);
  }
}

const MATCHES_ANYTHING: TargetShape = Object.freeze([]) as TargetShape;

export function createTreeCompiler(
  documents: readonly PolicyDocument[],
  functions: FunctionLookup,
  issues: IssueCollector,
  xpath: boolean,
  /** false: every child is a candidate (the reference a test compares the index with). */
  targetIndex = true,
  footprint: Footprint = new Footprint(),
  /** Compatibility mode (see leniency.ts); strict when absent. */
  lenient?: LeniencyLog,
): TreeCompiler {
  const compiled = new Map<PolicyDocument, Shaped<CompiledPolicy> | undefined>();
  const inProgress = new Set<PolicyDocument>();
  // Each document collects its own issues (swapped in while it compiles), so a referrer can
  // tell in compatibility mode that what it references was refused.
  const documentIssues = new Map<PolicyDocument, IssueCollector>();
  const base: CompileScope = { functions, issues, xpath, intern: new Interner(), footprint, ...(lenient ? { lenient } : {}) };
  let scope = base;
  const index = <T>(children: readonly T[], targets: readonly TargetShape[]): Candidates<T> =>
    targetIndex ? indexChildren(children, targets, { footprint }) : { select: () => children };

  const resolve = (ref: PolicyReferenceNode): PolicyDocument | undefined => {
    const kind = ref.kind === 'PolicyRef' ? 'Policy' : 'PolicySet';
    const candidates = documents.filter((d) => d.kind === kind && d.id === ref.id && versionSatisfies(d.version, ref));
    candidates.sort((a, b) => compareVersions(b.version, a.version));
    return candidates[0];
  };

  const compileDocument = (doc: PolicyDocument): Shaped<CompiledPolicy> | undefined => {
    if (compiled.has(doc)) return compiled.get(doc);
    inProgress.add(doc);
    const outer = scope;
    const own = new IssueCollector('policy');
    documentIssues.set(doc, own);
    scope = { ...base, issues: own };
    checkUniqueIds(doc, own, lenient);
    const c = doc.kind === 'Policy' ? compilePolicy(doc) : compilePolicySet(doc);
    scope = outer;
    inProgress.delete(doc);
    compiled.set(doc, c);
    return c;
  };

  const compileChild = (child: PolicyChildNode): Shaped<Combinable> | undefined => {
    if (child.kind === 'Policy') return compilePolicy(child);
    if (child.kind === 'PolicySet') return compilePolicySet(child);
    const target = resolve(child);
    const refName = child.kind === 'PolicyRef' ? 'PolicyIdReference' : 'PolicySetIdReference';
    if (!target) {
      const constraint = [child.version && `Version ${child.version}`, child.earliestVersion && `EarliestVersion ${child.earliestVersion}`, child.latestVersion && `LatestVersion ${child.latestVersion}`].filter(Boolean).join(', ');
      const message = `${refName} to ${child.id}${constraint ? ` (${constraint})` : ''}: no such ${child.kind === 'PolicyRef' ? 'Policy' : 'PolicySet'} is loaded`;
      if (lenient) return unavailable('unresolved-reference', child, message, 'undefined-reference');
      scope.issues.add('undefined-reference', child.path, message, child.line);
      return undefined;
    }
    if (inProgress.has(target)) {
      scope.issues.add('circular-reference', child.path, `reference to ${child.id} is circular: it is reached again from itself`, child.line);
      return undefined;
    }
    const c = compileDocument(target);
    if (lenient && (!c || documentIssues.get(target)!.count > 0)) {
      const first = documentIssues.get(target)!.issues[0];
      return unavailable('refused-policy', child, `${refName} to ${child.id}: that ${target.kind} was refused at load${first ? ` (${first.message})` : ''}`, first?.code);
    }
    return c;
  };

  const unavailable = (code: LeniencyCode, ref: PolicyReferenceNode, message: string, strictCode?: XacmlErrorCode): Shaped<Combinable> => {
    lenient!.add(code, ref.path, `${message}; Indeterminate (processing-error) when reached`, ref.line, strictCode);
    return { node: new UnavailableReference(message), shape: MATCHES_ANYTHING };
  };

  function algorithm(table: ReadonlyMap<string, CombiningAlgorithm>, id: string, path: string, line: number, what: string): CombiningAlgorithm | undefined {
    const a = table.get(id);
    if (!a) scope.issues.add('unknown-combining-algorithm', path, `unknown ${what} combining algorithm ${id}`, line);
    return a;
  }

  function compilePolicySet(ps: PolicySetNode): Shaped<CompiledPolicy> | undefined {
    footprint.add(Footprint.POLICY);
    const alg = algorithm(POLICY_ALGORITHMS, ps.combiningAlgId, ps.path, ps.line, 'policy');
    const target = compileTarget(ps.target, scope);
    const children = ps.children.map(compileChild);
    const obligations = compilePepActions(ps.obligations, scope);
    const advice = compilePepActions(ps.advice, scope);
    if (!alg || children.some((c) => !c)) return undefined;
    const ok = children as Shaped<Combinable>[];
    const node = new CompiledPolicy('PolicySet', detach(ps.id), detach(ps.version), target.eval, alg,
      index(ok.map((c) => c.node), ok.map((c) => c.shape)), obligations, advice);
    return { node, shape: target.shape };
  }

  function compilePolicy(p: PolicyNode): Shaped<CompiledPolicy> | undefined {
    footprint.add(Footprint.POLICY);
    const alg = algorithm(RULE_ALGORITHMS, p.combiningAlgId, p.path, p.line, 'rule');
    const variables = new Map<string, VariableSlot>();
    for (const v of p.variables) {
      if (variables.has(v.id)) scope.issues.add('duplicate-id', v.path, `VariableId ${v.id} is defined twice in policy ${p.id}`, v.line);
      else variables.set(v.id, { node: v, compiling: false });
    }
    const pscope: CompileScope = { ...scope, variables };
    // Unreferenced variables are still checked, so an invalid definition never loads.
    for (const slot of variables.values()) compileVariable(slot, pscope);
    const target = compileTarget(p.target, pscope);
    const policyId = detach(p.id);
    const rules = p.rules.map((r) => compileRule(r, policyId, pscope));
    const obligations = compilePepActions(p.obligations, pscope);
    const advice = compilePepActions(p.advice, pscope);
    if (!alg) return undefined;
    const node = new CompiledPolicy('Policy', detach(p.id), detach(p.version), target.eval, alg,
      index<Combinable>(rules.map((r) => r.node), rules.map((r) => r.shape)), obligations, advice);
    return { node, shape: target.shape };
  }

  return {
    compile: (doc) => compileDocument(doc)?.node,
    issuesOf: (doc) => documentIssues.get(doc)?.issues ?? [],
  };
}

/** A compiled node and the shape of its target (for the index of its parent), while compiling. */
interface Shaped<T> {
  readonly node: T;
  readonly shape: TargetShape;
}

function compileRule(r: RuleNode, policyId: string, scope: CompileScope): Shaped<CompiledRule> {
  scope.footprint.add(Footprint.RULE);
  const target = compileTarget(r.target, scope);
  let condition;
  if (r.condition) {
    const c = compileExpression(r.condition, scope);
    if (!isInvalid(c)) {
      if (c.type.kind !== 'value' || c.type.datatype !== DT.boolean) {
        scope.issues.add('type-mismatch', `${r.path}/Condition`, `a Condition must be a boolean value, this one is ${describeType(c.type)}`, r.condition.line);
      } else condition = c.eval;
    }
  }
  const node = new CompiledRule(detach(r.id), policyId, r.effect === 'Permit' ? D.Permit : D.Deny, target.eval, condition,
    compilePepActions(r.obligations, scope), compilePepActions(r.advice, scope));
  return { node, shape: target.shape };
}

const NO_ACTIONS: readonly CompiledPepAction[] = Object.freeze([]);

function compilePepActions(list: readonly PepActionNode[], scope: CompileScope): readonly CompiledPepAction[] {
  // Most rules have none: one shared empty list rather than two arrays per rule.
  if (list.length === 0) return NO_ACTIONS;
  scope.footprint.add(Footprint.PEP_ACTION * list.length);
  // Ids detached: the compiled PDP must not keep the policy's source text alive (see detach).
  return list.map((a) => ({
    id: detach(a.id),
    appliesTo: a.appliesTo === 'Permit' ? D.Permit : D.Deny,
    assignments: a.assignments.map((asg) => {
      const c = compileExpression(asg.expr, scope);
      if (!isInvalid(c) && c.type.kind === 'function') {
        scope.issues.add('type-mismatch', asg.path, 'an AttributeAssignmentExpression cannot be a function', asg.line);
      }
      return {
        attributeId: detach(asg.attributeId),
        ...(asg.category !== undefined ? { category: detach(asg.category) } : {}),
        ...(asg.issuer !== undefined ? { issuer: detach(asg.issuer) } : {}),
        eval: c.eval,
      };
    }),
  }));
}

/**
 * Ids must be unique within a document: Policy and PolicySet ids (with version) across the
 * whole inline tree, RuleIds within a Policy.
 */
function checkUniqueIds(doc: PolicyDocument, issues: IssueCollector, lenient?: LeniencyLog): void {
  const seen = new Map<string, string>();
  const visit = (n: PolicyDocument): void => {
    const key = `${n.kind}\u0000${n.id}\u0000${n.version}`;
    const first = seen.get(key);
    if (first) issues.add('duplicate-id', n.path, `${n.kind}Id ${n.id} (version ${n.version}) is already used at ${first}`, n.line);
    else seen.set(key, n.path);
    if (n.kind === 'Policy') {
      const rules = new Map<string, string>();
      for (const r of n.rules) {
        const f = rules.get(r.id);
        if (f && lenient) lenient.add('duplicate-rule-id', r.path, `RuleId ${r.id} is already used at ${f}; both rules are kept`, r.line, 'duplicate-id');
        else if (f) issues.add('duplicate-id', r.path, `RuleId ${r.id} is already used at ${f}`, r.line);
        else rules.set(r.id, r.path);
      }
    } else {
      for (const c of n.children) if (c.kind === 'Policy' || c.kind === 'PolicySet') visit(c);
    }
  };
  visit(doc);
}
