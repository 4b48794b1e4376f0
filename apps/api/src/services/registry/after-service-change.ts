/**
 * After a service changes: re-sync it into the UDF registry and re-initialise only the PDPs
 * that use what changed (a UDF's domains; every domain for a Context Handler, whose
 * registrations each PDP memoises). Other PDPs, and the clients of unchanged trust services
 * (caches, breakers), stay as they are.
 */
import type { AppDeps } from '../../app-deps';
import type { PdpRegistry } from '../../pdp/pdp-registry';
import type { ServiceChanges } from '../../pdp/udf-sync';

export function reinitialiseFor(pdps: Pick<PdpRegistry, 'invalidateAll' | 'invalidateUdfs'>, changes: ServiceChanges): void {
  if (changes.contextHandlers) pdps.invalidateAll();
  else pdps.invalidateUdfs(changes.functionUrns);
}

export async function afterServiceChange(deps: Pick<AppDeps, 'pdps' | 'udfSync'>, serviceId: string): Promise<void> {
  if (!deps.udfSync) {
    deps.pdps.invalidateAll();
    return;
  }
  reinitialiseFor(deps.pdps, await deps.udfSync.syncOne(serviceId));
}
