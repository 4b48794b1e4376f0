/**
 * Guest quotas (SAFAX §5.2): what one guest may hold at most. Checked by the use cases that
 * add to it (projects, domains, policy versions, PIP attributes) against the guest's current
 * holdings; other principals have no quotas. Refusals are 403 `quota-exceeded` naming the quota.
 */
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';
import type { GuestUsage, QuotaLimit } from '../../repositories/ports';

export type GuestQuotaName = keyof GuestUsage;

export const GUEST_QUOTAS: Readonly<Record<GuestQuotaName, number>> = {
  projects: 1,
  domains: 2,
  policyVersions: 20,
  pipAttributes: 50,
};

/** Guests alive at once; beyond, guest mode answers 503 until some expire. */
export const GUEST_MAX_ACTIVE = 1000;

const LABEL: Record<GuestQuotaName, string> = {
  projects: 'project(s)',
  domains: 'domain(s)',
  policyVersions: 'policy version(s)',
  pipAttributes: 'sample PIP attribute(s)',
};

/** True when the principal is a guest (quotas apply). */
export async function isGuest(deps: Pick<AppDeps, 'repos'>, principalId: string): Promise<boolean> {
  const p = await deps.repos.principals.findById(principalId);
  return p?.roles.includes('guest') ?? false;
}

/**
 * Refuses when a guest owner would hold more than its quota after adding `adding` and
 * releasing `releasing` items.
 */
export async function assertGuestQuota(deps: Pick<AppDeps, 'repos'>, ownerId: string, quota: GuestQuotaName, adding: number, releasing = 0): Promise<void> {
  if (!(await isGuest(deps, ownerId))) return;
  const used = (await deps.repos.guests.usage(ownerId))[quota];
  const limit = GUEST_QUOTAS[quota];
  if (used - releasing + adding > limit) throw quotaExceeded(quota, used);
}

function quotaExceeded(quota: GuestQuotaName, used: number): ApiError {
  const limit = GUEST_QUOTAS[quota];
  return new ApiError('quota-exceeded', `guest quota: at most ${limit} ${LABEL[quota]} (${used} held)`, { quota, limit, used });
}

/**
 * The quota the repository enforces again inside the write's transaction (the checks above
 * answer early and for dry runs; only this one holds under parallel requests). Undefined for
 * principals without quotas.
 */
export async function guestQuotaLimit(deps: Pick<AppDeps, 'repos'>, ownerId: string, quota: GuestQuotaName): Promise<QuotaLimit | undefined> {
  if (!(await isGuest(deps, ownerId))) return undefined;
  return { ownerId, limit: GUEST_QUOTAS[quota], exceeded: (used) => quotaExceeded(quota, used) };
}

/** The same, for the owner of a domain. */
export async function domainGuestQuotaLimit(deps: Pick<AppDeps, 'repos'>, domainId: string, quota: GuestQuotaName): Promise<QuotaLimit | undefined> {
  const d = await deps.repos.domains.findById(domainId);
  return d ? guestQuotaLimit(deps, d.ownerId, quota) : undefined;
}

/** The same, for the owner of a domain. */
export async function assertDomainGuestQuota(deps: Pick<AppDeps, 'repos'>, domainId: string, quota: GuestQuotaName, adding: number, releasing = 0): Promise<void> {
  const d = await deps.repos.domains.findById(domainId);
  if (d) await assertGuestQuota(deps, d.ownerId, quota, adding, releasing);
}

/** PIP upserts: counts only the attributes that are new to the domain (or all, when replacing). */
export async function assertGuestPipQuota(deps: Pick<AppDeps, 'repos'>, domainId: string, rows: readonly { category: string; entityId: string; attributeId: string }[], replace: boolean): Promise<void> {
  const d = await deps.repos.domains.findById(domainId);
  if (!d || !(await isGuest(deps, d.ownerId))) return;
  const existing = await deps.repos.pip.listAll(domainId);
  const key = (r: { category: string; entityId: string; attributeId: string }) => `${r.category}\u0000${r.entityId}\u0000${r.attributeId}`;
  const incoming = new Set(rows.map(key));
  if (replace) return assertGuestQuota(deps, d.ownerId, 'pipAttributes', incoming.size, existing.length);
  const have = new Set(existing.map(key));
  return assertGuestQuota(deps, d.ownerId, 'pipAttributes', [...incoming].filter((k) => !have.has(k)).length);
}
