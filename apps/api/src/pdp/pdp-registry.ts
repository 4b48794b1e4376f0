/**
 * Compiled PDPs cached in memory, one per domain. A domain's entry holds its record, PDP
 * configuration, sample PIP and compiled policies; a change (local call or the change feed of
 * another replica) drops the entry, and the next request compiles afresh. Entries are stored
 * as promises at load start, so concurrent requests share one compilation and an invalidation
 * during a load is not overwritten by it.
 */
import { XacmlError, compilePdp } from '@safax/xacml';
import type { FunctionProvider, ParseLimits, Pdp, PdpOptions, PolicySource } from '@safax/xacml';
import type { AppConfig } from '../config/app-config';
import type { DomainRecord, PdpConfigRecord, PolicyVersionRecord, Repositories } from '../repositories/ports';
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
}

export interface PdpRegistryDeps {
  readonly repos: Repositories;
  readonly contextHandlerClient: ContextHandlerClient;
  /** UDFs available to a domain's policies (trust services from the Service Repository). */
  readonly functionProviderFor?: (domainId: string) => FunctionProvider | undefined;
}

export function policySources(versions: readonly Pick<PolicyVersionRecord, 'text' | 'policyId' | 'version'>[]): PolicySource[] {
  return versions.map((v) => ({ text: v.text, name: `${v.policyId} v${v.version}` }));
}

/** The engine's policy document limits from the platform's (SAFAX_POLICY_LIMIT_BYTES, ..._MAX_ELEMENTS). */
export function policyLimits(config: Pick<AppConfig, 'policyLimitBytes' | 'policyMaxElements'>): Partial<ParseLimits> {
  return { maxBytes: config.policyLimitBytes, maxElements: config.policyMaxElements };
}

/** Engine options from a PDP configuration (shared by the PAP's compile check and the cache). */
export function pdpOptions(config: Pick<PdpConfigRecord, 'rootCombiningAlgorithm' | 'rootPolicyIds' | 'returnPolicyIdList' | 'xpath'>, extra: Partial<PdpOptions> = {}): PdpOptions {
  return {
    rootCombiningAlgorithm: config.rootCombiningAlgorithm,
    ...(config.rootPolicyIds.length > 0 ? { rootPolicyIds: config.rootPolicyIds } : {}),
    alwaysReturnPolicyIdList: config.returnPolicyIdList,
    xpath: config.xpath,
    ...extra,
  };
}

export class PdpRegistry {
  private readonly byDomain = new Map<string, Promise<DomainPdp | null>>();
  private readonly domainOfPdp = new Map<string, string>();
  private compilations = 0;

  constructor(private readonly deps: PdpRegistryDeps) {}

  /** How many compilations ran (observability, tests). */
  get compileCount(): number {
    return this.compilations;
  }

  invalidate(domainId: string): void {
    this.byDomain.delete(domainId);
  }

  invalidateAll(): void {
    this.byDomain.clear();
  }

  /**
   * A change event for the domain arrived from the feed. It is often one the cached entry
   * already includes: this replica's own change (invalidated at once, then echoed by the feed),
   * or another replica's change committed before this entry loaded. The entry is dropped only
   * if the domain has committed events it has not seen. Counting (not comparing sequence
   * numbers) stays right when transactions commit out of sequence order; pruning only makes
   * the count differ, which drops the entry: redundant, never stale.
   */
  async invalidateIfChanged(domainId: string): Promise<void> {
    const entry = this.byDomain.get(domainId);
    if (!entry) return;
    let keep = false;
    try {
      const [current, loaded] = await Promise.all([this.deps.repos.changes.countFor(domainId), entry]);
      keep = loaded?.changesSeen !== undefined && loaded.changesSeen === current;
    } catch {
      keep = false;
    }
    if (!keep && this.byDomain.get(domainId) === entry) this.byDomain.delete(domainId);
  }

  async byDomainId(domainId: string): Promise<DomainPdp | null> {
    let entry = this.byDomain.get(domainId);
    if (!entry) {
      entry = this.load(domainId);
      this.byDomain.set(domainId, entry);
      // A failed load is not cached: the next request tries again.
      entry.catch(() => {
        if (this.byDomain.get(domainId) === entry) this.byDomain.delete(domainId);
      });
    }
    const result = await entry;
    if (result === null && this.byDomain.get(domainId) === entry) this.byDomain.delete(domainId);
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

  private async load(domainId: string): Promise<DomainPdp | null> {
    const { repos } = this.deps;
    // Read before the state, so the entry includes at least the changes counted here.
    const changesSeen = await repos.changes.countFor(domainId);
    const [domain, config, active, pipRows] = await Promise.all([
      repos.domains.findById(domainId),
      repos.domains.getConfig(domainId),
      repos.policies.activeSet(domainId),
      repos.pip.listAll(domainId),
    ]);
    if (!domain || !config) return null;
    this.domainOfPdp.set(domain.pdpId, domain.id);
    const policies = active.map((v) => ({ policyId: v.policyId, version: v.version }));
    if (active.length === 0) return { domain, config, pdp: null, policies, changesSeen };
    const resolver = domainResolver(domainId, new PipIndex(pipRows), {
      contextHandlers: repos.contextHandlers,
      services: repos.services,
      client: this.deps.contextHandlerClient,
    });
    const functionProvider = this.deps.functionProviderFor?.(domainId);
    this.compilations += 1;
    // Stored policies compiled before they were stored; what they call may have changed since.
    // The policy id list is always computed: the decision log records which policies applied.
    try {
      const compiled = compilePdp(policySources(active), pdpOptions(config, { attributeResolver: resolver, alwaysReturnPolicyIdList: true, ...(functionProvider ? { functionProvider } : {}) }));
      // The decision log (full detail) shows what each trust service answered.
      const pdp = withUdfResultsInTrace(compiled);
      return { domain, config, pdp, policies, changesSeen };
    } catch (e) {
      if (e instanceof XacmlError) return { domain, config, pdp: null, policies, compileError: e.message, changesSeen };
      throw e;
    }
  }
}
