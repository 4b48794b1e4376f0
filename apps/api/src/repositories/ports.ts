/**
 * Storage ports: what the use cases need from persistence, in the api's own types. Routes and
 * services never see Prisma; each multi-row write is one method, done in one transaction.
 */

/** Roles an admin assigns. */
export const ROLES = ['admin', 'domain-owner', 'domains-controller', 'trust-service-provider'] as const;
/** Every role a principal may hold: `guest` only through guest mode (POST /api/v1/guest). */
export const ALL_ROLES = [...ROLES, 'guest'] as const;
export type Role = (typeof ALL_ROLES)[number];

/** A principal's id with its name (lists of collaborators and controllers). */
export interface PrincipalRef {
  readonly id: string;
  readonly name: string;
}

export interface PrincipalRecord {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly createdAt: Date;
  /** Guests only: when the principal stops working. */
  readonly expiresAt?: Date | null;
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly principalId: string;
  readonly prefix: string;
  readonly label: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/** A key as stored: only its hash. */
export interface NewApiKey {
  readonly id: string;
  readonly prefix: string;
  readonly hash: string;
  readonly label: string;
}

export interface PrincipalRepository {
  create(principal: { id: string; name: string; roles: readonly Role[] }, key: NewApiKey): Promise<PrincipalRecord>;
  findById(id: string): Promise<PrincipalRecord | null>;
  findByName(name: string): Promise<PrincipalRecord | null>;
  findByKeyHash(hash: string): Promise<PrincipalRecord | null>;
  list(): Promise<PrincipalRecord[]>;
  updateRoles(id: string, roles: readonly Role[]): Promise<PrincipalRecord | null>;
  delete(id: string): Promise<boolean>;
  countWithRole(role: Role): Promise<number>;
  addKey(principalId: string, key: NewApiKey): Promise<ApiKeyRecord>;
  listKeys(principalId: string): Promise<ApiKeyRecord[]>;
  deleteKey(principalId: string, keyId: string): Promise<boolean>;
}

export interface ProjectRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly ownerId: string;
  readonly collaboratorIds: readonly string[];
  /** The collaborators with their names (same order as collaboratorIds). */
  readonly collaborators?: readonly PrincipalRef[];
  readonly createdAt: Date;
}

export interface ProjectRepository {
  /** With a quota (guests), the owner's projects are counted in the insert's transaction. */
  create(project: { id: string; name: string; description: string; ownerId: string }, quota?: QuotaLimit): Promise<ProjectRecord>;
  findById(id: string): Promise<ProjectRecord | null>;
  /** All projects (`visibleTo` undefined) or those the principal owns or collaborates on. */
  list(visibleTo?: string): Promise<ProjectRecord[]>;
  update(id: string, patch: { name?: string; description?: string }): Promise<ProjectRecord>;
  /** Deletes the project, its domains and their PDP services; returns the deleted domain ids. */
  delete(id: string): Promise<string[]>;
  addCollaborator(projectId: string, principalId: string): Promise<void>;
  removeCollaborator(projectId: string, principalId: string): Promise<boolean>;
}

export const LOG_DETAILS = ['none', 'decision', 'full'] as const;
export type LogDetail = (typeof LOG_DETAILS)[number];

export interface PdpConfigRecord {
  readonly rootCombiningAlgorithm: string;
  readonly rootPolicyIds: readonly string[];
  readonly returnPolicyIdList: boolean;
  readonly xpath: boolean;
  /** Lenient loading for stores exported from other engines (each leniency is a warning). */
  readonly compatibilityMode: boolean;
  readonly evaluationTimeoutMs: number;
  readonly logDetail: LogDetail;
  /** Decision-log retention in days; null keeps entries until the domain goes. */
  readonly logRetentionDays: number | null;
  /** Function URN → the id of the UDF service the domain trusts for it (pinned). */
  readonly trustedServices: Readonly<Record<string, string>>;
  readonly updatedAt: Date;
}

export type PdpConfigInput = Omit<PdpConfigRecord, 'updatedAt'>;

export interface DomainRecord {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly description: string;
  readonly pdpId: string;
  readonly publicPdp: boolean;
  readonly revision: number;
  readonly activeDeploymentId: string | null;
  readonly createdAt: Date;
  /** From the project: who may manage the domain. */
  readonly ownerId: string;
  readonly collaboratorIds: readonly string[];
  /** Domains controllers authorised to call the PDP. */
  readonly controllerIds: readonly string[];
  /** The controllers with their names (same order as controllerIds). */
  readonly controllers?: readonly PrincipalRef[];
}

/** The PDP's Service Repository entry, written with the domain. */
export interface PdpServiceEntry {
  readonly id: string;
  readonly providerId: string;
  readonly description: string;
  readonly descriptor: string;
  readonly registeredById: string;
}

/**
 * A guest quota enforced inside the write's own transaction: the owner's row is locked
 * (PostgreSQL `FOR UPDATE`), the holdings counted, and the write refused with `exceeded(used)`
 * when it would pass `limit` — so parallel requests of one guest cannot all pass a check made
 * before any of them wrote. Which holding is counted follows from the write (domains for a new
 * domain, policy versions for a publish, PIP attributes for an upsert).
 */
export interface QuotaLimit {
  readonly ownerId: string;
  readonly limit: number;
  exceeded(used: number): Error;
}

export interface DomainRepository {
  create(domain: { id: string; projectId: string; name: string; description: string; pdpId: string; publicPdp: boolean }, config: PdpConfigInput, service: PdpServiceEntry, quota?: QuotaLimit): Promise<DomainRecord>;
  findById(id: string): Promise<DomainRecord | null>;
  findByPdpId(pdpId: string): Promise<DomainRecord | null>;
  listByProject(projectId: string): Promise<DomainRecord[]>;
  update(id: string, patch: { name?: string; description?: string; publicPdp?: boolean }): Promise<DomainRecord>;
  delete(id: string): Promise<void>;
  addController(domainId: string, principalId: string): Promise<void>;
  /** One transaction: a new principal with its first key, authorised as the domain's controller. */
  createController(domainId: string, principal: { id: string; name: string; roles: readonly Role[] }, key: NewApiKey): Promise<PrincipalRecord>;
  removeController(domainId: string, principalId: string): Promise<boolean>;
  getConfig(domainId: string): Promise<PdpConfigRecord | null>;
  updateConfig(domainId: string, config: PdpConfigInput): Promise<PdpConfigRecord>;
}

export type PolicyKind = 'Policy' | 'PolicySet';

export interface PolicyVersionRecord {
  readonly id: string;
  readonly domainId: string;
  readonly policyId: string;
  readonly version: string;
  readonly kind: PolicyKind;
  readonly text: string;
  readonly createdAt: Date;
  readonly createdBy: string;
}

export type PolicyVersionSummary = Omit<PolicyVersionRecord, 'text'>;

export interface NewPolicyVersion {
  readonly id: string;
  readonly policyId: string;
  readonly version: string;
  readonly kind: PolicyKind;
  readonly text: string;
}

export const DEPLOYMENT_REASONS = ['upload', 'activate', 'rollback', 'delete'] as const;
export type DeploymentReason = (typeof DEPLOYMENT_REASONS)[number];

export interface DeploymentRecord {
  readonly id: string;
  readonly number: number;
  readonly reason: DeploymentReason;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly active: boolean;
  readonly policies: readonly { readonly policyId: string; readonly version: string }[];
}

/** `details.reason` of the 409 a publish answers when its snapshot went stale (callers may plan again). */
export const ACTIVE_SET_CHANGED = 'active-set-changed';

export interface PolicyRepository {
  /** The versions in the domain's active set, with their text. */
  activeSet(domainId: string): Promise<PolicyVersionRecord[]>;
  /** The active set with the id of its deployment (what `publish`'s expectedActiveDeploymentId compares with). */
  activeSnapshot(domainId: string): Promise<{ deploymentId: string | null; versions: PolicyVersionRecord[] }>;
  listVersions(domainId: string, policyId?: string): Promise<PolicyVersionSummary[]>;
  findVersion(domainId: string, policyId: string, version: string): Promise<PolicyVersionRecord | null>;
  findLatest(domainId: string, policyId: string): Promise<PolicyVersionRecord | null>;
  /**
   * One transaction: insert the new versions; when `activeVersionIds` is given, create a
   * deployment of exactly those versions, point the domain at it, bump its revision and append a
   * change event. With `expectedActiveDeploymentId`, the domain row is locked first and the
   * write is refused (409, details `{ reason: 'active-set-changed' }`) when the active
   * deployment is no longer that one: the set was computed from a snapshot another writer (a
   * deploy, a rights change) has since replaced. Every publish holds the domain's lock, so
   * deployment numbers never collide; a version that exists already is refused by name (409).
   */
  publish(
    domainId: string,
    input: { newVersions: readonly NewPolicyVersion[]; activeVersionIds?: readonly string[]; reason: DeploymentReason; by: string; expectedActiveDeploymentId?: string | null; quota?: QuotaLimit },
  ): Promise<DeploymentRecord | null>;
  listDeployments(domainId: string): Promise<DeploymentRecord[]>;
  findDeployment(domainId: string, number: number): Promise<(DeploymentRecord & { versionIds: readonly string[] }) | null>;
  /** Deletes a version outside the active set, with the past deployments that held it. */
  deleteVersion(domainId: string, versionId: string): Promise<void>;
}

export interface ServiceRecordRow {
  readonly id: string;
  readonly type: string;
  readonly functionUrn: string | null;
  readonly providerId: string;
  readonly description: string;
  readonly descriptor: string;
  readonly enabled: boolean;
  readonly registeredById: string;
  readonly domainId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ServiceFilter {
  readonly type?: string;
  readonly functionUrn?: string;
  readonly providerId?: string;
  readonly enabled?: boolean;
  readonly q?: string;
}

/**
 * A write that makes service `serviceId` provide `functionUrn` (enabled) for `providerId`: the
 * repository refuses it with `taken()`, inside the write's transaction and under a lock on the
 * URN, when another provider's enabled udf service provides the URN.
 */
export interface UrnClaim {
  readonly functionUrn: string;
  readonly providerId: string;
  readonly serviceId: string;
  taken(): Error;
}

export interface ServiceRepository {
  create(row: Omit<ServiceRecordRow, 'createdAt' | 'updatedAt' | 'enabled' | 'domainId'>, claim?: UrnClaim): Promise<ServiceRecordRow>;
  findById(id: string): Promise<ServiceRecordRow | null>;
  list(filter: ServiceFilter): Promise<ServiceRecordRow[]>;
  update(id: string, patch: Partial<Pick<ServiceRecordRow, 'type' | 'functionUrn' | 'providerId' | 'description' | 'descriptor' | 'enabled'>>, claim?: UrnClaim): Promise<ServiceRecordRow>;
  delete(id: string): Promise<void>;
}

export interface ContextHandlerRecord {
  readonly domainId: string;
  readonly principalId: string;
  readonly serviceId: string;
  readonly createdAt: Date;
}

export interface ContextHandlerRepository {
  upsert(record: { domainId: string; principalId: string; serviceId: string }): Promise<ContextHandlerRecord>;
  find(domainId: string, principalId: string): Promise<ContextHandlerRecord | null>;
  list(domainId: string): Promise<ContextHandlerRecord[]>;
  delete(domainId: string, principalId: string): Promise<boolean>;
}

export interface PipAttributeRecord {
  readonly category: string;
  readonly entityId: string;
  readonly attributeId: string;
  readonly datatype: string;
  readonly values: readonly string[];
}

export interface PipRepository {
  list(domainId: string, filter: { category?: string; entityId?: string }): Promise<PipAttributeRecord[]>;
  /**
   * Multi-row upserts in chunks; `replace` first clears the domain's attributes. With a quota
   * (guests: a few dozen rows) one transaction under the owner's lock; without, PostgreSQL
   * writes in one transaction of multi-row `INSERT … ON CONFLICT`, SQLite in one short
   * transaction per chunk, yielding to the event loop in between (SQLite has one writer).
   */
  upsertMany(domainId: string, rows: readonly PipAttributeRecord[], replace: boolean, quota?: QuotaLimit): Promise<number>;
  deleteMatching(domainId: string, filter: { category?: string; entityId?: string; attributeId?: string }): Promise<number>;
  /** Every attribute of the domain (loaded with its PDP). */
  listAll(domainId: string): Promise<PipAttributeRecord[]>;
  /** Values for one attribute of one entity, [] when unknown. */
  lookup(domainId: string, category: string, entityId: string, attributeId: string, datatype: string): Promise<readonly string[]>;
}

/** An external call made during an evaluation (attribute resolution, UDF), with its duration. */
export interface ExternalCall {
  readonly kind: 'attribute' | 'external';
  /** The attribute id asked for, or the external work's key (e.g. the UDF and its arguments). */
  readonly target: string;
  readonly ms: number;
  readonly values?: number;
  readonly error?: string;
}

export interface DecisionLogEntry {
  readonly txId: string;
  readonly domainId: string;
  readonly time: Date;
  readonly callerId: string | null;
  readonly format: string;
  readonly decision: string;
  readonly statusCode: string;
  readonly request: string | null;
  readonly response: string | null;
  readonly obligations: readonly string[];
  readonly policies: readonly string[];
  readonly calls: readonly ExternalCall[];
  readonly durationMs: number;
  /** Rule/policy trace (log detail full, test evaluations); null when not traced. */
  readonly trace?: readonly DecisionTraceEntry[] | null;
  /** For an owner's test evaluation: who ran it (callerId is the controller it acted as). */
  readonly testedBy?: string | null;
  /** Summaries of the request (subject-id, action-id, resource-id values); null when unknown. */
  readonly subject?: string | null;
  readonly action?: string | null;
  readonly resource?: string | null;
}

/** One step of the rule/policy trace kept with a logged decision. */
export type DecisionTraceEntry =
  | { readonly kind: 'rule'; readonly id: string; readonly policyId: string; readonly decision: string; readonly result?: number }
  | { readonly kind: 'policy' | 'policySet'; readonly id: string; readonly version: string; readonly decision: string; readonly result?: number };

export interface DecisionLogFilter {
  readonly decision?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly txId?: string;
  readonly callerId?: string;
  /** Case-insensitive text found in the subject, action, resource or transaction id. */
  readonly text?: string;
}

/** Signs chain heads and checkpoints of the decision log (apps/api/src/decision-log/). */
export interface LogSeal {
  sign(message: string): string;
  verify(message: string, signature: string): boolean;
  /** A signed periodic checkpoint every this many entries of a domain. */
  readonly checkpointEvery: number;
}

export interface DecisionLogRepository {
  /**
   * One transaction: the entries join their domains' hash chains (positions and hashes under
   * the chain head's lock), heads are re-signed, checkpoints written where due. Entries of a
   * domain deleted meanwhile are skipped (their log went with it).
   */
  insertMany(entries: readonly DecisionLogEntry[], seal?: LogSeal): Promise<void>;
  /** Newest first; `before` is the paging cursor (a time, with txId to break ties). */
  query(domainId: string, filter: DecisionLogFilter, page: { limit: number; cursor?: { time: Date; txId: string } }): Promise<DecisionLogEntry[]>;
  find(domainId: string, txId: string): Promise<DecisionLogEntry | null>;
}

/** A chained decision-log row as stored (JSON columns as their text): what the chain hashes. */
export interface StoredDecisionRow {
  readonly txId: string;
  readonly domainId: string;
  readonly time: Date;
  readonly callerId: string | null;
  readonly format: string;
  readonly decision: string;
  readonly statusCode: string;
  readonly request: string | null;
  readonly response: string | null;
  readonly obligations: string;
  readonly policies: string;
  readonly calls: string;
  readonly durationMs: number;
  readonly trace: string | null;
  readonly testedBy: string | null;
  readonly subject: string | null;
  readonly action: string | null;
  readonly resource: string | null;
  readonly seq: number;
}

export interface DecisionChainHead {
  readonly seq: number;
  readonly hash: string;
  readonly signature: string;
}

export interface DecisionCheckpoint {
  readonly seq: number;
  readonly hash: string;
  readonly time: Date;
  /** periodic | anchor (retention pruned the entries up to and including seq) */
  readonly kind: string;
  readonly signature: string;
}

/** The decision log's hash chain: reading it back to verify, and pruning it (retention). */
export interface DecisionChainRepository {
  head(domainId: string): Promise<DecisionChainHead | null>;
  checkpoints(domainId: string): Promise<DecisionCheckpoint[]>;
  /** Chained rows with seq > afterSeq, ascending by seq, at most `limit`; the row with the stored hash. */
  entries(domainId: string, afterSeq: number, limit: number): Promise<(StoredDecisionRow & { hash: string })[]>;
  /** Rows written before the log was chained. */
  countUnchained(domainId: string): Promise<number>;
  /** Domains with a retention setting. */
  retention(): Promise<{ domainId: string; days: number }[]>;
  /**
   * Under the chain head's lock: a signed anchor checkpoint at the last entry older than
   * `cutoff` (entries are pruned by position, so the chain stays contiguous), then the
   * entries up to it, older checkpoints, and unchained rows older than `cutoff` deleted.
   */
  prune(domainId: string, cutoff: Date, seal: LogSeal): Promise<{ pruned: number; anchorSeq: number | null }>;
  /** A server secret by name, created with `generate()` the first time (once, whatever the replicas). */
  secret(name: string, generate: () => string): Promise<string>;
}

export const AUDIT_OUTCOMES = ['pending', 'succeeded', 'failed'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One change requested through the API, as the audit trail keeps it. */
export interface AuditRecord {
  readonly id: string;
  readonly txId: string;
  readonly time: Date;
  readonly actorId: string | null;
  /** The actor's name when the change was made (principals may be renamed or deleted later). */
  readonly actorName: string | null;
  readonly action: string;
  readonly projectId: string | null;
  readonly domainId: string | null;
  readonly resourceType: string;
  readonly resourceId: string | null;
  readonly summary: string;
  readonly details: Readonly<Record<string, unknown>> | null;
  readonly outcome: AuditOutcome;
  readonly status: number | null;
  readonly errorCode: string | null;
  readonly finishedAt: Date | null;
}

/** How a change ended, and what the handler learnt about it. */
export interface AuditFinish {
  readonly outcome: Exclude<AuditOutcome, 'pending'>;
  readonly status: number;
  readonly errorCode?: string | null;
  readonly finishedAt: Date;
  readonly summary?: string;
  readonly details?: Readonly<Record<string, unknown>> | null;
  readonly projectId?: string;
  readonly domainId?: string;
  readonly resourceId?: string;
}

export interface AuditFilter {
  readonly projectId?: string;
  readonly domainId?: string;
  /** Matches the actor's id or the name it had. */
  readonly actor?: string;
  /** An exact action (`policy.upload`) or a family (`policy` = every `policy.*`). */
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  readonly from?: Date;
  readonly to?: Date;
}

export interface AuditRepository {
  /** Records the intent, before the change is attempted. */
  begin(entry: Omit<AuditRecord, 'outcome' | 'status' | 'errorCode' | 'finishedAt'>): Promise<void>;
  /** Records how it ended; false when there is no such pending entry. */
  finish(id: string, finish: AuditFinish): Promise<boolean>;
  /** Newest first; the cursor is the last entry of the previous page. */
  query(filter: AuditFilter, page: { limit: number; cursor?: { time: Date; id: string } }): Promise<AuditRecord[]>;
}

/** What a guest holds (quotas are checked against it). */
export interface GuestUsage {
  readonly projects: number;
  readonly domains: number;
  readonly policyVersions: number;
  readonly pipAttributes: number;
}

/** Guest principals (SAFAX §5.2 guest mode): throw-away, expiring, counted. */
export interface GuestRepository {
  /** A guest principal with its API key and expiry. */
  create(principal: { id: string; name: string }, key: NewApiKey, expiresAt: Date): Promise<PrincipalRecord>;
  /** Guests not yet expired at `now`. */
  countActive(now: Date): Promise<number>;
  /** Deletes guests expired at `now` with everything they own (one transaction); their ids. */
  deleteExpired(now: Date): Promise<string[]>;
  usage(principalId: string): Promise<GuestUsage>;
}

/** Change feed for cross-replica invalidation. */
export interface ChangeFeedRepository {
  latestSeq(): Promise<number>;
  since(seq: number): Promise<{ seq: number; domainId: string }[]>;
  /** How many committed change events the feed holds for a domain (it only grows, until pruned). */
  countFor(domainId: string): Promise<number>;
  prune(olderThan: Date): Promise<void>;
}

export interface Repositories {
  readonly principals: PrincipalRepository;
  readonly projects: ProjectRepository;
  readonly domains: DomainRepository;
  readonly policies: PolicyRepository;
  readonly services: ServiceRepository;
  readonly contextHandlers: ContextHandlerRepository;
  readonly pip: PipRepository;
  readonly decisions: DecisionLogRepository;
  readonly decisionChain: DecisionChainRepository;
  readonly changes: ChangeFeedRepository;
  readonly guests: GuestRepository;
  readonly managedPolicies: ManagedPolicyRepository;
  readonly audit: AuditRepository;
  /** Readiness probe. */
  ping(): Promise<void>;
}

/** What a managed-policy change sees: the domain's state while it holds the domain's lock. */
export interface ManagedPolicyState {
  readonly config: PdpConfigRecord;
  readonly active: readonly PolicyVersionRecord[];
  /** The highest stored version of the managed policy (active or not), or null. */
  readonly latestVersion: string | null;
}

/**
 * A policy the platform generates (the dataset-rights policy), changed read-modify-write under
 * the domain's lock so that concurrent changes on any replica serialise instead of losing each
 * other: one transaction locks the domain row (PostgreSQL `FOR UPDATE`; SQLite transactions are
 * serialised), reads the state, lets `change` compute the new version (or null: nothing to do),
 * stores it and makes it active in place of the policy's current version.
 */
export interface ManagedPolicyRepository {
  change(
    domainId: string,
    policyId: string,
    by: string,
    change: (state: ManagedPolicyState) => NewPolicyVersion | null,
  ): Promise<{ version: NewPolicyVersion; deployment: DeploymentRecord } | null>;
}
