/**
 * What the PDP answered, what the PEP enforces, and why it denied when it failed closed.
 * These are the SDK's own stable types (not the engine's): values are lexical strings with
 * their datatype id.
 */

export type Decision = 'Permit' | 'Deny' | 'NotApplicable' | 'Indeterminate';

export interface AttributeAssignment {
  readonly attributeId: string;
  /** Lexical form of the value (e.g. "42", "true", "2026-11-30T10:00:00Z"). */
  readonly value: string;
  readonly datatype: string;
  readonly category?: string;
  readonly issuer?: string;
}

/** An obligation or an advice. AuthZEN answers carry the id only (no assignments). */
export interface PepAction {
  readonly id: string;
  readonly assignments: readonly AttributeAssignment[];
}

export interface DecisionStatus {
  /** XACML status code, e.g. urn:oasis:names:tc:xacml:1.0:status:ok. */
  readonly code: string;
  readonly message?: string;
}

/** One decision as the PDP gave it. */
export interface PdpAnswer {
  readonly decision: Decision;
  readonly status: DecisionStatus;
  readonly obligations: readonly PepAction[];
  readonly advice: readonly PepAction[];
}

/**
 * Why a decision was enforced as Deny although the PDP did not simply say Deny (XACML 3.0
 * core §7.18: a PEP that cannot get, read or honour a Permit denies).
 */
export const FAILURE_CODES = [
  /** No answer within timeoutMs (all attempts included). */
  'timeout',
  /** Connection refused, reset, DNS failure, TLS failure. */
  'network',
  /** HTTP 5xx. */
  'server-error',
  /** HTTP 429 after the allowed retries. */
  'rate-limited',
  /** HTTP 401 or 403: the API key is wrong, or its principal is not a controller of the domain. */
  'unauthorized',
  /** Another HTTP 4xx (e.g. 404 unknown PDP, 400 request refused by the PDP). */
  'rejected',
  /** The answer could not be read (wrong media type, invalid JSON/XML, too large, wrong number of results). */
  'malformed-response',
  /** The PDP answered Indeterminate. */
  'indeterminate',
  /** The PDP answered NotApplicable (no policy applies): enforced as Deny. */
  'not-applicable',
  /** A Permit carried an obligation with no registered handler. */
  'unhandled-obligation',
  /** An obligation handler threw (or rejected). */
  'obligation-failed',
  /** The circuit breaker is open after repeated PDP failures: no call was made. */
  'circuit-open',
  /** The caller's AbortSignal fired. */
  'aborted',
  /** The request cannot be sent (missing member, bad value, or something the chosen format cannot carry). */
  'invalid-request',
  /** The client was closed. */
  'closed',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export interface FailureCause {
  readonly code: FailureCode;
  /** For logs; never show it to end users (it may name policies or internal hosts). */
  readonly message: string;
  /** HTTP status, when one was received. */
  readonly httpStatus?: number;
  /** The obligation concerned (unhandled-obligation, obligation-failed). */
  readonly obligationId?: string;
  /** The underlying error, when there was one. */
  readonly error?: unknown;
}

/** Causes for which no decision was obtained at all (the PDP was not reachable or not readable). */
export const UNAVAILABLE_CODES: ReadonlySet<FailureCode> = new Set<FailureCode>(['timeout', 'network', 'server-error', 'rate-limited', 'malformed-response', 'circuit-open', 'closed']);

/** A handler problem that did not change the outcome (advice, or an obligation attached to a Deny). */
export interface HandlerProblem {
  readonly kind: 'obligation' | 'advice';
  readonly id: string;
  readonly error: unknown;
}

/** The result of `decide`: what the PDP said and what the PEP must enforce. */
export interface DecisionResult extends PdpAnswer {
  /** True only for a Permit whose obligations were all handled. Grant access on this alone. */
  readonly allowed: boolean;
  /** What to enforce: 'Permit' exactly when `allowed`. */
  readonly enforced: 'Permit' | 'Deny';
  /**
   * The platform's X-Transaction-Id of the call that produced the decision (the decision log
   * entry). AuthZEN batch items get `<id>.<index>`, as the platform logs them. Undefined when
   * no answer was received. For a cached decision it is the id of the call that was cached.
   */
  readonly transactionId: string | undefined;
  /** Set when the PEP denied for a reason other than a plain Deny from the PDP. */
  readonly cause?: FailureCause;
  /** True when the PDP answer came from the decision cache (handlers ran anyway). */
  readonly cached: boolean;
  /** Advice handler failures and failures of obligations attached to a Deny (they never change the outcome). */
  readonly handlerProblems: readonly HandlerProblem[];
}
