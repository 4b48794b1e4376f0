/**
 * Keeps a UDF registry (the engine's FunctionProvider for trust services, e.g.
 * @safax/udf-client's createUdfRegistry()) in step with the Service Repository: every enabled
 * `udf` service is registered, anything else unregistered. Runs at start, after each local
 * service change, and when another replica announces one.
 */
import type { FunctionProvider } from '@safax/xacml';
import { serviceDescriptorSchema } from '@safax/contracts';
import type { ServiceDescriptor } from '@safax/contracts';
import type { Logger } from '../app-deps';
import type { ServiceRecordRow, ServiceRepository } from '../repositories/ports';

/** What the platform needs of a UDF registry (structurally, @safax/udf-client's UdfRegistry). */
export interface UdfRegistryPort extends FunctionProvider {
  /** Adds or replaces the function of a udf service; throws when the descriptor is unusable. */
  register(descriptor: ServiceDescriptor): unknown;
  unregister(serviceId: string): unknown;
}

export class UdfSync {
  private readonly registered = new Set<string>();

  constructor(
    private readonly registry: UdfRegistryPort,
    private readonly services: ServiceRepository,
    private readonly log: Logger,
  ) {}

  private apply(id: string, row: ServiceRecordRow | null): void {
    const parsed = row && row.type === 'udf' && row.enabled ? serviceDescriptorSchema.safeParse(JSON.parse(row.descriptor)) : null;
    if (parsed?.success) {
      try {
        this.registry.register(parsed.data);
        this.registered.add(id);
        return;
      } catch (err) {
        this.log.error('udf service not usable', { serviceId: id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (this.registered.delete(id)) this.registry.unregister(id);
  }

  async syncOne(id: string): Promise<void> {
    this.apply(id, await this.services.findById(id));
  }

  async syncAll(): Promise<void> {
    const rows = await this.services.list({ type: 'udf' });
    const seen = new Set(rows.map((r) => r.id));
    for (const id of [...this.registered]) if (!seen.has(id)) this.apply(id, null);
    for (const r of rows) this.apply(r.id, r);
  }
}
