/**
 * Public contract of a compiled PDP: how policies are loaded, how external attributes and
 * functions are plugged in, and what an evaluation returns.
 */
import type { FunctionProvider } from './functions/function-def';
import type { XacmlResponse } from './model/response';
import type { ResourceHierarchy } from './request/hierarchy';
import type { EvaluationLimits } from './evaluate/limits';

/** One policy document (XACML 3.0 or 2.0 Policy/PolicySet, XML text). */
export interface PolicySource {
  readonly text: string;
  /** Shown in error messages (a file name, a version label). */
  readonly name?: string;
}

export interface AttributeQuery {
  readonly category: string;
  readonly attributeId: string;
  readonly datatype: string;
  readonly issuer?: string;
}

/** What a resolver may read of the request to answer (e.g. the subject-id it is asked about). */
export interface ResolverRequestView {
  /** Lexical values of a request attribute (any issuer), [] when absent. */
  values(category: string, attributeId: string): readonly string[];
}

/**
 * Supplies attributes the request lacks (sample PIP, Context Handler). Asked at most once per
 * query and evaluation. Returns lexical values of `query.datatype`; [] when it has none.
 * A rejection makes the dependent expression Indeterminate with a processing-error status
 * whose message is the rejection's message.
 */
export interface AttributeResolver {
  resolve(query: AttributeQuery, request: ResolverRequestView): Promise<readonly string[]>;
}

export interface ParseLimits {
  /** Characters of one document. */
  readonly maxBytes: number;
  /** Element nesting depth. */
  readonly maxDepth: number;
  /** Elements in one document. */
  readonly maxElements: number;
  /** Attributes of one element, namespace declarations included. */
  readonly maxAttributes: number;
  /** Namespace declarations on one element. */
  readonly maxNamespaceDeclarations: number;
  /** Namespace prefixes in scope at any element (declared on it and its ancestors). */
  readonly maxNamespacesInScope: number;
}

export interface PdpOptions {
  /**
   * Root policies by id. Default: the documents no other document references. With several
   * roots, they are combined by `rootCombiningAlgorithm`.
   */
  readonly rootPolicyIds?: readonly string[];
  /** Policy-combining algorithm for several roots (default deny-overrides). */
  readonly rootCombiningAlgorithm?: string;
  readonly functionProvider?: FunctionProvider;
  readonly attributeResolver?: AttributeResolver;
  /** AttributeSelector, xpathExpression and XPath functions (default true). */
  readonly xpath?: boolean;
  /** Return the PolicyIdentifierList even when the request did not ask (default false). */
  readonly alwaysReturnPolicyIdList?: boolean;
  readonly limits?: Partial<ParseLimits>;
  /** Bounds on one evaluation (produced values, response size, policy fan-out and depth); see evaluate/limits.ts. */
  readonly evaluationLimits?: Partial<EvaluationLimits>;
  /**
   * Index children by the attribute values their targets require (default true). false
   * evaluates every child in turn: the same results, slower; a reference for tests.
   */
  readonly targetIndex?: boolean;
  /**
   * Compatibility mode for stores exported from lenient engines (default false: strict).
   * Accepts duplicate RuleIds; loads unresolved references and references to refused
   * documents as Indeterminate (processing-error) when reached; turns constant-argument calls
   * that would fail into evaluation-time processing-errors; resolves XPath prefixes the policy
   * does not declare from the request Content. Each leniency applied is in `Pdp.warnings`.
   */
  readonly compatibility?: boolean;
  /**
   * Hierarchical Resource Profile: the shape of the resource hierarchy, for
   * resource-parent/-ancestor/-ancestor-or-self a request lacks and for scope Children and
   * Descendants (see request/hierarchy.ts).
   */
  readonly hierarchy?: ResourceHierarchy;
}

export interface EvaluateOptions {
  /** Record which policies and rules were evaluated and what each gave. */
  readonly trace?: boolean;
  /** Abort external work after this many milliseconds; the affected parts become Indeterminate. */
  readonly timeoutMs?: number;
}

export type TraceDecision = 'Permit' | 'Deny' | 'NotApplicable' | 'Indeterminate' | 'Indeterminate{D}' | 'Indeterminate{P}' | 'Indeterminate{DP}';

export type TraceEntry =
  | { readonly kind: 'rule'; readonly id: string; readonly policyId: string; readonly decision: TraceDecision }
  | { readonly kind: 'policy' | 'policySet'; readonly id: string; readonly version: string; readonly decision: TraceDecision }
  | { readonly kind: 'attribute'; readonly query: AttributeQuery; readonly values?: readonly string[]; readonly error?: string; readonly ms: number }
  | { readonly kind: 'external'; readonly key: string; readonly error?: string; readonly ms: number };

export interface Evaluation {
  readonly response: XacmlResponse;
  /** Present when `trace` was asked: one list per individual decision, in result order. */
  readonly traces?: readonly (readonly TraceEntry[])[];
}
