/**
 * Keeps a UDF registry (e.g. @safax/udf-client's createUdfRegistry()) in step with the Service
 * Repository, and resolves function URNs to trust services for each domain's PDP.
 *
 * Only what changed is touched: each sync compares the services with the last ones seen and
 * re-registers a udf service only when its descriptor or state changed, so the clients of
 * unchanged services (result caches, circuit breakers) survive an unrelated registration and
 * a replica's own change-feed echo. A sync reports which URNs and whether any Context Handler
 * changed, so the PDP cache re-initialises only the domains concerned.
 *
 * Resolution of a URN for a domain (documented in apps/api/README.md, "Hardening"):
 * 1. a service the domain pins for the URN (PDP configuration `trustedServices`) — when that
 *    service is not an enabled udf service for the URN, the URN is unavailable to the domain
 *    (never another service in its place);
 * 2. otherwise the enabled udf service for the URN registered first (creation time, then id).
 * Registration keeps every enabled service of a URN with one provider (409 otherwise), so
 * rule 2 picks among that provider's services.
 */
import type { FunctionDef, FunctionProvider } from '@safax/xacml';
import { serviceDescriptorSchema } from '@safax/contracts';
import type { ServiceDescriptor } from '@safax/contracts';
import type { Logger } from '../app-deps';
import type { ServiceRecordRow, ServiceRepository } from '../repositories/ports';

/** What the platform needs of a UDF registry (structurally, @safax/udf-client's UdfRegistry). */
export interface UdfRegistryPort {
  /** Adds or replaces the function of a udf service; throws when the descriptor is unusable. */
  register(descriptor: ServiceDescriptor): unknown;
  unregister(serviceId: string): unknown;
  /** The function a registered service provides. */
  serviceFunction(serviceId: string): FunctionDef | undefined;
  /** Circuit-breaker state per registered service (metrics); optional for stand-ins. */
  breakerStates?(): readonly { readonly serviceId: string; readonly functionUrn: string; readonly state: string }[];
}

/** What one sync changed: the URNs whose services changed, and whether a Context Handler did. */
export interface ServiceChanges {
  readonly functionUrns: ReadonlySet<string>;
  readonly contextHandlers: boolean;
}

interface Seen {
  readonly type: string;
  readonly enabled: boolean;
  readonly descriptor: string;
  readonly functionUrn: string | null;
  readonly createdAt: number;
  /** Registered in the registry (a udf whose descriptor was usable). */
  readonly usable: boolean;
}

function sameState(a: Seen | undefined, row: ServiceRecordRow | null): boolean {
  if (!a || !row) return a === undefined && row === null;
  return a.type === row.type && a.enabled === row.enabled && a.descriptor === row.descriptor && a.functionUrn === row.functionUrn;
}

export class UdfSync {
  private readonly seen = new Map<string, Seen>();
  /** URN → the service rule 2 picks. */
  private readonly defaults = new Map<string, string>();

  constructor(
    private readonly registry: UdfRegistryPort,
    private readonly services: ServiceRepository,
    private readonly log: Logger,
  ) {}

  /** Applies one service's current row (null: gone); records what changed in `urns`/`handlers`. */
  private apply(id: string, row: ServiceRecordRow | null, urns: Set<string>): boolean {
    const before = this.seen.get(id);
    if (sameState(before, row)) return false;
    if (before?.functionUrn) urns.add(before.functionUrn);
    if (row?.functionUrn) urns.add(row.functionUrn);
    let usable = false;
    if (row && row.type === 'udf' && row.enabled) {
      const parsed = serviceDescriptorSchema.safeParse(JSON.parse(row.descriptor));
      if (parsed.success) {
        try {
          this.registry.register(parsed.data);
          usable = true;
        } catch (err) {
          this.log.error('udf service not usable', { serviceId: id, error: err instanceof Error ? err.message : String(err) });
        }
      }
    }
    if (!usable && before?.usable) this.registry.unregister(id);
    if (row) this.seen.set(id, { type: row.type, enabled: row.enabled, descriptor: row.descriptor, functionUrn: row.functionUrn, createdAt: row.createdAt.getTime(), usable });
    else this.seen.delete(id);
    return before?.type === 'context-handler' || row?.type === 'context-handler';
  }

  private resolveDefaults(urns: ReadonlySet<string>): void {
    for (const urn of urns) {
      let best: [string, Seen] | undefined;
      for (const entry of this.seen) {
        const s = entry[1];
        if (!s.usable || s.functionUrn !== urn) continue;
        if (!best || s.createdAt < best[1].createdAt || (s.createdAt === best[1].createdAt && entry[0] < best[0])) best = entry;
      }
      if (best) this.defaults.set(urn, best[0]);
      else this.defaults.delete(urn);
    }
  }

  /** After a change to one service made here. */
  async syncOne(id: string): Promise<ServiceChanges> {
    const urns = new Set<string>();
    const handlers = this.apply(id, await this.services.findById(id), urns);
    this.resolveDefaults(urns);
    return { functionUrns: urns, contextHandlers: handlers };
  }

  /** At start and when any replica announces a service change. */
  async syncAll(): Promise<ServiceChanges> {
    const rows = await this.services.list({});
    const present = new Set(rows.map((r) => r.id));
    const urns = new Set<string>();
    let handlers = false;
    for (const id of [...this.seen.keys()]) if (!present.has(id)) handlers = this.apply(id, null, urns) || handlers;
    for (const r of rows) if (r.domainId === null) handlers = this.apply(r.id, r, urns) || handlers;
    this.resolveDefaults(urns);
    return { functionUrns: urns, contextHandlers: handlers };
  }

  /** The service a domain's PDP calls for a URN (the rule above), if any. */
  serviceFor(urn: string, pins: Readonly<Record<string, string>> = {}): string | undefined {
    const pinned = Object.hasOwn(pins, urn) ? pins[urn] : undefined;
    if (pinned === undefined) return this.defaults.get(urn);
    const s = this.seen.get(pinned);
    return s?.usable && s.functionUrn === urn ? pinned : undefined;
  }

  /** The FunctionProvider a domain's PDP is compiled with. */
  providerFor(pins: Readonly<Record<string, string>> = {}): FunctionProvider {
    return {
      find: (urn) => {
        const id = this.serviceFor(urn, pins);
        return id === undefined ? undefined : this.registry.serviceFunction(id);
      },
    };
  }
}
