/** Shapes the platform API returns (see openapi.yaml at the repo root). */
import type { ServiceDescriptor } from '@safax/contracts';

export interface Principal {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly createdAt: string;
  /** Guests only. */
  readonly expiresAt?: string;
}

/** A principal in a list (collaborators, controllers). */
export interface PrincipalRef {
  readonly id: string;
  readonly name: string;
}

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly ownerId: string;
  /** The owner's name (null once deleted; absent from older servers). */
  readonly ownerName?: string | null;
  readonly collaborators: readonly PrincipalRef[];
  readonly createdAt: string;
}

export interface Domain {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly description: string | null;
  readonly pdpId: string;
  readonly pdpUrl: string;
  readonly publicPdp: boolean;
  readonly revision: number;
  readonly controllers: readonly PrincipalRef[];
  readonly createdAt: string;
}

export interface PolicySummary {
  readonly policyId: string;
  readonly kind: string;
  readonly activeVersion: string | null;
  readonly versions: readonly { version: string; createdAt: string; createdBy: string; createdByName?: string | null }[];
}

export interface PolicyVersion {
  readonly policyId: string;
  readonly version: string;
  readonly kind: string;
  readonly active: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly createdByName?: string | null;
  readonly text: string;
}

export interface Deployment {
  readonly number: number;
  readonly reason: string;
  readonly active: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly createdByName?: string | null;
  readonly policies: readonly { policyId: string; version: string }[];
}

/** A leniency compatibility mode applied to load policies that strict mode refuses. */
export interface CompatibilityWarning {
  readonly code: string;
  readonly message: string;
  readonly path: string;
  readonly line?: number;
  readonly strictCode?: string;
}

export interface UploadResult {
  readonly uploaded: readonly { policyId: string; version: string; kind: string }[];
  readonly deployment: Deployment | null;
  readonly warnings?: readonly CompatibilityWarning[];
}

export const LOG_DETAILS = ['none', 'decision', 'full'] as const;
export type LogDetail = (typeof LOG_DETAILS)[number];

export interface PdpConfig {
  readonly pdpId: string;
  readonly pdpUrl: string;
  readonly rootCombiningAlgorithm: string;
  readonly rootPolicyIds: readonly string[];
  readonly returnPolicyIdList: boolean;
  readonly xpath: boolean;
  readonly compatibilityMode: boolean;
  readonly evaluationTimeoutMs: number;
  readonly logDetail: LogDetail;
  /** Days the decision log keeps; null: until the domain goes. */
  readonly logRetentionDays: number | null;
  /** Pinned trust services: function URN → the id of the udf service the domain trusts for it. */
  readonly trustedServices: Readonly<Record<string, string>>;
  readonly updatedAt: string;
}

export interface PipAttribute {
  readonly category: string;
  readonly entity: string;
  readonly attribute: string;
  readonly datatype: string;
  readonly values: readonly string[];
}

/**
 * One step of the evaluation trace the API keeps (log detail "full", test evaluations): the
 * rules, policies and policy sets the engine evaluated, in order; `result` numbers the decision
 * of a multiple-decision request.
 */
export type TraceEntry =
  | { readonly kind: 'rule'; readonly id: string; readonly policyId: string; readonly decision: string; readonly result?: number }
  | { readonly kind: 'policy' | 'policySet'; readonly id: string; readonly version: string; readonly decision: string; readonly result?: number };

/** An attribute lookup (sample PIP, Context Handler) or trust-service call made during an evaluation (logged when the PDP logs in full). */
export interface ExternalCall {
  readonly kind: 'attribute' | 'external';
  readonly target: string;
  readonly ms: number;
  /** How many values the lookup returned. */
  readonly values?: number;
  readonly error?: string;
}

export interface DecisionEntry {
  readonly txId: string;
  readonly time: string;
  readonly callerId: string | null;
  readonly callerName?: string | null;
  readonly format: string;
  readonly decision: string;
  readonly status: string;
  /** The request's subject-id, action-id and resource-id values (null for older entries). */
  readonly subject?: string | null;
  readonly action?: string | null;
  readonly resource?: string | null;
  readonly obligations: readonly string[];
  readonly policies: readonly string[];
  readonly durationMs: number;
  readonly request?: string;
  readonly response?: string;
  readonly calls?: readonly ExternalCall[];
  /** The engine's rule/policy trace, when it was kept. */
  readonly trace?: readonly TraceEntry[];
  /** An owner's test evaluation: who ran it (callerId is the controller it acted as). */
  readonly testedBy?: string;
  readonly testedByName?: string | null;
}

export const TEST_FORMATS = ['xacml-xml', 'xacml-json', 'authzen'] as const;
export type TestFormat = (typeof TEST_FORMATS)[number];

/** The answer of POST /domains/{id}/test-evaluations. */
export interface TestEvaluationResult {
  readonly txId: string;
  readonly format: TestFormat;
  readonly callerId: string;
  readonly testedBy: string;
  readonly decision: string;
  readonly status: string;
  readonly policies: readonly string[];
  readonly contentType: string;
  /** The PDP's answer as the PDP-URL would send it. */
  readonly response: string;
  readonly trace: readonly TraceEntry[];
  readonly calls: readonly ExternalCall[];
}

export interface ValidationIssue {
  readonly code: string;
  readonly message: string;
  readonly path?: string;
  readonly line?: number;
  readonly document?: string;
}

/** The answer of POST /domains/{id}/policies/validate (nothing is stored). */
export type PolicyValidation =
  | { readonly ok: true; readonly documents: readonly { policyId: string; version: string; kind: string }[]; readonly warnings?: readonly CompatibilityWarning[] }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string }; readonly issues: readonly ValidationIssue[] };

export interface DecisionPage {
  readonly items: readonly DecisionEntry[];
  readonly nextCursor: string | null;
}

export interface ServiceRecord {
  readonly descriptor: ServiceDescriptor;
  readonly enabled: boolean;
  readonly registeredBy: string;
  /** The registering principal's name: who stands behind the service. */
  readonly registeredByName?: string | null;
  readonly domainId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A throw-away guest session (POST /api/v1/guest). */
export interface GuestSession {
  readonly apiKey: string;
  readonly principal: Principal;
  readonly project: Project;
  readonly domain: Domain;
  readonly quotas: { readonly projects: number; readonly domains: number; readonly policyVersions: number; readonly pipAttributes: number };
  readonly expiresAt: string;
}

export interface Items<T> {
  readonly items: readonly T[];
}

/** The answer of POST /domains/{id}/controllers: the key is shown this once. */
export interface CreatedController {
  readonly principal: Principal;
  readonly apiKey: string;
  readonly apiKeyId: string;
  readonly domain: { readonly id: string; readonly name: string };
  readonly pdpUrl: string;
  readonly authzenUrl: string;
}

export interface FetchedDescriptor {
  readonly url: string;
  readonly descriptor: ServiceDescriptor;
}

export type AuditOutcome = 'pending' | 'succeeded' | 'failed';

/** One change in the audit trail. */
export interface AuditEntry {
  readonly txId: string;
  readonly time: string;
  readonly actor: PrincipalRef | null;
  readonly action: string;
  readonly projectId: string | null;
  readonly domainId: string | null;
  readonly resource: { readonly type: string; readonly id: string | null };
  readonly summary: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly outcome: AuditOutcome;
  readonly status: number | null;
  readonly errorCode: string | null;
  readonly finishedAt: string | null;
}

export interface AuditPage {
  readonly items: readonly AuditEntry[];
  readonly nextCursor: string | null;
}

export interface AuditFilter {
  readonly project?: string;
  readonly domain?: string;
  readonly actor?: string;
  readonly action?: string;
  readonly outcome?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface DecisionFilter {
  readonly decision?: string;
  readonly from?: string;
  readonly to?: string;
  readonly caller?: string;
  readonly callerName?: string;
  readonly q?: string;
}
