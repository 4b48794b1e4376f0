/**
 * A function URN belongs to one provider: while any enabled udf service of one principal
 * provides it, no other principal's service may provide it enabled (registration, update and
 * enabling answer 409). The provider is the principal that registered the service, never the
 * `provider.id` a descriptor claims.
 *
 * Checked before the write (an early answer) and again inside the write's transaction under a
 * lock on the URN (the repository's UrnClaim): of two racing writes by different providers
 * (another replica, or PostgreSQL's concurrent transactions) exactly one is stored.
 */
import type { ServiceDescriptor } from '@safax/contracts';
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';
import type { UrnClaim } from '../../repositories/ports';

export function urnTaken(functionUrn: string): ApiError {
  return new ApiError('conflict', `the function URN ${functionUrn} is provided by another provider's enabled service; a URN belongs to one provider`, { functionUrn });
}

/** True when an enabled udf service of another provider (than `providerId`) provides the URN. */
export async function providedByAnother(deps: Pick<AppDeps, 'repos'>, functionUrn: string, providerId: string, serviceId: string): Promise<boolean> {
  const rows = await deps.repos.services.list({ type: 'udf', functionUrn, enabled: true });
  return rows.some((r) => r.id !== serviceId && r.registeredById !== providerId);
}

/** What the repository checks again inside the write (undefined: the write claims no URN). */
export function urnClaim(functionUrn: string | undefined | null, providerId: string, serviceId: string): UrnClaim | undefined {
  return functionUrn ? { functionUrn, providerId, serviceId, taken: () => urnTaken(functionUrn) } : undefined;
}

/** Refuses (409) a write that would make a URN of another provider's also this provider's. */
export async function assertUrnFree(deps: Pick<AppDeps, 'repos'>, functionUrn: string | undefined | null, providerId: string, serviceId: string): Promise<void> {
  if (functionUrn && (await providedByAnother(deps, functionUrn, providerId, serviceId))) throw urnTaken(functionUrn);
}

/** The descriptor as stored: its provider id is the registering principal. */
export function withProvider(d: ServiceDescriptor, providerId: string): ServiceDescriptor {
  return { ...d, provider: { ...d.provider, id: providerId } };
}
