/**
 * Compiled PDPs cached in memory, one per domain. A domain's entry holds its record, PDP
 * configuration, sample PIP and compiled policies; a change (local call or the change feed of
 * another replica) drops the entry, and the next request compiles afresh. Entries are stored
 * as promises at load start, so concurrent requests share one compilation and an invalidation
 * during a load is not overwritten by it.
 *
 * The cache holds at most a memory budget (SAFAX_PDP_CACHE_MB): each entry counts the engine's
 * estimate of its compiled policies plus its PIP rows and records, with the heap's headroom
 * (HEAP_HEADROOM), and the least recently used entries leave first. An evicted domain's next
 * request compiles it again.
 */
import { XacmlError, compilePdp } from '@safax/xacml';
import type { FunctionProvider, ParseLimits, Pdp, PdpOptions, PolicySource } from '@safax/xacml';
import type { AppConfig } from '../config/app-config';
import type { DomainRecord, PdpConfigRecord, PipAttributeRecord, PolicyVersionRecord, Repositories } from '../repositories/ports';
import type { ContextHandlerClient } from './context-handler-client';
import { domainResolver } from './domain-resolver';
import { PipIndex } from './pip-index';
import { withUdfResultsInTrace } from './udf-call-log';

export interface DomainPdp {
  readonly domain: DomainRecord;
  readonly config: PdpConfigRecord;
  /** null when the domain has no active policies (every request is NotApplicable). */
  readonly pdp: Pdp | null;
  readonly policies: readonly { readonly policyId: string; readonly version: string }[];
  /**
   * Set when the stored policies no longer compile (e.g. a UDF they call was disabled):
   * every request is then Indeterminate with this message, never an HTTP error.
   */
  readonly compileError?: string;
  /** The domain's change-event count read before its state: what this entry is known to include. */
  readonly changesSeen?: number;
  /** The domain's sample PIP (AuthZEN searches enumerate its entities). */
  readonly pip?: PipIndex;
}

export interface PdpRegistryDeps {
  readonly repos: Repositories;
  /** Memory budget of the cache in bytes (default: unbounded). */
  readonly cacheBytes?: number;
  /** Document limits for compiling stored policies (the platform's policy limits). */
  readonly limits?: Partial<ParseLimits>;
  readonly contextHandlerClient: ContextHandlerClient;
  /** UDFs available to a domain's policies (trust services from the Service Repository), given its pins. */
  readonly functionProviderFor?: FunctionProviderFor;
}

/** The UDFs a domain's policies may call: `trustedServices` are its pins (function URN → service id). */
export type FunctionProviderFor = (domainId: string, trustedServices?: Readonly<Record<string, string>>) => FunctionProvider | undefined;

export function policySources(versions: readonly Pick<PolicyVersionRecord, 'text' | 'policyId' | 'version'>[]): PolicySource[] {
  return versions.map((v) => ({ text: v.text, name: `${v.policyId} v${v.version}` }));
}

/** The engine's policy document limits from the platform's (SAFAX_POLICY_LIMIT_BYTES, ..._MAX_ELEMENTS). */
export function policyLimits(config: Pick<AppConfig, 'policyLimitBytes' | 'policyMaxElements'>): Partial<ParseLimits> {
  return { maxBytes: config.policyLimitBytes, maxElements: config.policyMaxElements };
}

/** Engine options from a PDP configuration (shared by the PAP's compile check and the cache). */
export function pdpOptions(config: Pick<PdpConfigRecord, 'rootCombiningAlgorithm' | 'rootPolicyIds' | 'returnPolicyIdList' | 'xpath' | 'compatibilityMode'>, extra: Partial<PdpOptions> = {}): PdpOptions {
  return {
    rootCombiningAlgorithm: config.rootCombiningAlgorithm,
    ...(config.rootPolicyIds.length > 0 ? { rootPolicyIds: config.rootPolicyIds } : {}),
    alwaysReturnPolicyIdList: config.returnPolicyIdList,
    xpath: config.xpath,
    ...(config.compatibilityMode ? { compatibility: true } : {}),
    ...extra,
  };
}

/** What an entry holds besides its compiled policies: records, resolver, indexes, its map slots (measured 2–4 KB). */
const ENTRY_OVERHEAD_BYTES = 4 * 1024;

/**
 * The budget bounds the process memory the cache costs, not only its live objects: entries
 * are promoted into V8's old generation among garbage of the same age (compilations, requests,
 * evicted entries), and the pages they share stay committed. Measured on the tenants bench
 * (10,000 domains, 256 MB, heap growing factor 1.2): 365 MB of old space committed for 186 MB
 * live right after a full collection, and RSS +355 MB for 5,796 entries charged at 1.5x their
 * live bytes; at 2.5: 3,478 entries, RSS +179 MB. Each entry is charged its live bytes times
 * this factor.
 */
export const HEAP_HEADROOM = 2.5;

/** Estimated heap bytes a cache entry holds (live objects). */
export function entryHeldBytes(entry: DomainPdp | null, pipRows: readonly PipAttributeRecord[]): number {
  let bytes = ENTRY_OVERHEAD_BYTES + (entry?.pdp?.estimatedBytes ?? 0);
  for (const r of pipRows) {
    bytes += 160 + 2 * (r.category.length + r.entityId.length + r.attributeId.length + r.datatype.length);
    for (const v of r.values) bytes += 32 + 2 * v.length;
  }
  return bytes;
}

/** What a cache entry is charged against the budget: its live bytes with the heap's headroom. */
export function entryBytes(entry: DomainPdp | null, pipRows: readonly PipAttributeRecord[]): number {
  return Math.ceil(entryHeldBytes(entry, pipRows) * HEAP_HEADROOM);
}

interface CacheEntry {
  readonly load: Promise<DomainPdp | null>;
  /** 0 while loading. */
  bytes: number;
  /** Non-standard function ids the compilation looked up (UDF URNs); undefined while loading. */
  udfUrns?: ReadonlySet<string>;
}

export interface PdpCacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly budgetBytes: number;
  readonly evictions: number;
  /** Lookups served by a cached (or compiling) entry, and those that started a load. */
  readonly hits: number;
  readonly misses: number;
}

export class PdpRegistry {
  /** Insertion order is recency: a hit moves its entry to the end. */
  private readonly byDomain = new Map<string, CacheEntry>();
  private readonly domainOfPdp = new Map<string, string>();
  private compilations = 0;
  private bytes = 0;
  private evictions = 0;
  private hits = 0;
  private misses = 0;
  private readonly budget: number;

  constructor(private readonly deps: PdpRegistryDeps) {
    this.budget = deps.cacheBytes ?? Number.POSITIVE_INFINITY;
  }

  /** How many compilations ran (observability, tests). */
  get compileCount(): number {
    return this.compilations;
  }

  get stats(): PdpCacheStats {
    return { entries: this.byDomain.size, bytes: this.bytes, budgetBytes: this.budget, evictions: this.evictions, hits: this.hits, misses: this.misses };
  }

  invalidate(domainId: string): void {
    this.drop(domainId);
  }

  invalidateAll(): void {
    this.byDomain.clear();
    // PDP-URLs are looked up again as their domains come back: the map stays as bounded as the cache.
    this.domainOfPdp.clear();
    this.bytes = 0;
  }

  /**
   * Drops the domains whose policies call (or tried to call) one of these UDF URNs, and any
   * still compiling; every other compiled PDP stays.
   */
  invalidateUdfs(urns: ReadonlySet<string>): void {
    if (urns.size === 0) return;
    for (const [domainId, e] of [...this.byDomain]) {
      if (e.udfUrns === undefined || [...e.udfUrns].some((u) => urns.has(u))) this.drop(domainId, e);
    }
  }

  private drop(domainId: string, entry?: CacheEntry): void {
    const e = this.byDomain.get(domainId);
    if (!e || (entry && e !== entry)) return;
    this.byDomain.delete(domainId);
    this.bytes -= e.bytes;
  }

  /** Least recently used entries out until the cache fits its budget; `keep` (just used) stays. */
  private evict(keep: string): void {
    for (const [domainId, e] of this.byDomain) {
      if (this.bytes <= this.budget) return;
      if (domainId === keep || e.bytes === 0) continue;
      this.drop(domainId);
      this.evictions++;
      // Forget the PDP-URL too (it is looked up again on the next request), so it is bounded as well.
      void e.load.then((d) => {
        if (d && this.domainOfPdp.get(d.domain.pdpId) === domainId && !this.byDomain.has(domainId)) this.domainOfPdp.delete(d.domain.pdpId);
      }, () => undefined);
    }
  }

  async invalidateIfChanged(domainId: string): Promise<void> {
    const entry = this.byDomain.get(domainId);
    if (!entry) return;
    let keep = false;
    try {
      const [current, loaded] = await Promise.all([this.deps.repos.changes.countFor(domainId), entry.load]);
      keep = loaded?.changesSeen !== undefined && loaded.changesSeen === current;
    } catch {
      keep = false;
    }
    if (!keep) this.drop(domainId, entry);
  }

  async byDomainId(domainId: string): Promise<DomainPdp | null> {
    let entry = this.byDomain.get(domainId);
    if (entry) {
      this.hits++;
      // Most recently used: to the end of the order.
      this.byDomain.delete(domainId);
      this.byDomain.set(domainId, entry);
    } else {
      this.misses++;
      const created: CacheEntry = { load: this.load(domainId).then(({ entry: e, bytes, udfUrns }) => {
        created.udfUrns = udfUrns;
        if (this.byDomain.get(domainId) === created) {
          created.bytes = bytes;
          this.bytes += bytes;
          this.evict(domainId);
        }
        return e;
      }), bytes: 0 };
      entry = created;
      this.byDomain.set(domainId, created);
      // A failed load is not cached: the next request tries again.
      created.load.catch(() => this.drop(domainId, created));
    }
    const result = await entry.load;
    if (result === null) this.drop(domainId, entry);
    return result;
  }

  async byPdpId(pdpId: string): Promise<DomainPdp | null> {
    const known = this.domainOfPdp.get(pdpId);
    if (known !== undefined) {
      const hit = await this.byDomainId(known);
      if (hit && hit.domain.pdpId === pdpId) return hit;
      this.domainOfPdp.delete(pdpId);
    }
    const domain = await this.deps.repos.domains.findByPdpId(pdpId);
    if (!domain) return null;
    this.domainOfPdp.set(pdpId, domain.id);
    return this.byDomainId(domain.id);
  }

  private async load(domainId: string): Promise<{ entry: DomainPdp | null; bytes: number; udfUrns: ReadonlySet<string> }> {
    const { repos } = this.deps;
    // Read before the state, so the entry includes at least the changes counted here.
    const changesSeen = await repos.changes.countFor(domainId);
    const [domain, config, active, pipRows] = await Promise.all([
      repos.domains.findById(domainId),
      repos.domains.getConfig(domainId),
      repos.policies.activeSet(domainId),
      repos.pip.listAll(domainId),
    ]);
    const udfUrns = new Set<string>();
    if (!domain || !config) return { entry: null, bytes: 0, udfUrns };
    this.domainOfPdp.set(domain.pdpId, domain.id);
    const policies = active.map((v) => ({ policyId: v.policyId, version: v.version }));
    const pip = new PipIndex(pipRows);
    const sized = (e: DomainPdp) => ({ entry: { ...e, pip }, bytes: entryBytes(e, pipRows), udfUrns });
    if (active.length === 0) return sized({ domain, config, pdp: null, policies, changesSeen });
    const resolver = domainResolver(domainId, pip, {
      contextHandlers: repos.contextHandlers,
      services: repos.services,
      client: this.deps.contextHandlerClient,
    });
    const provider = this.deps.functionProviderFor?.(domainId, config.trustedServices);
    // Which UDFs the policies call, so that a change to one re-initialises only the domains using it.
    const functionProvider: FunctionProvider | undefined = provider && {
      find: (id) => {
        udfUrns.add(id);
        return provider.find(id);
      },
    };
    this.compilations += 1;
    // Stored policies compiled before they were stored; what they call may have changed since.
    // The policy id list is always computed: the decision log records which policies applied.
    try {
      const compiled = compilePdp(policySources(active), pdpOptions(config, { attributeResolver: resolver, hierarchy: pip.hierarchy(), alwaysReturnPolicyIdList: true, ...(this.deps.limits ? { limits: this.deps.limits } : {}), ...(functionProvider ? { functionProvider } : {}) }));
      // The decision log (full detail) shows what each trust service answered.
      const pdp = withUdfResultsInTrace(compiled);
      return sized({ domain, config, pdp, policies, changesSeen });
    } catch (e) {
      if (e instanceof XacmlError) return sized({ domain, config, pdp: null, policies, compileError: e.message, changesSeen });
      throw e;
    }
  }
}
