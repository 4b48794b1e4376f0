/**
 * Guest mode (SAFAX §5.2): a throw-away principal with one API key, an expiry and quotas, and a
 * ready test project with one domain (its decisions logged in full, so every trace is kept).
 * Expired guests are purged first, with all they held.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { newApiKey } from '../../auth/api-keys';
import type { AppDeps } from '../../app-deps';
import { ApiError } from '../../errors/api-error';
import { createDomain, DEFAULT_PDP_CONFIG } from '../domains/create-domain';
import { getDomain } from '../domains/get-domain';
import { createProject } from '../projects/create-project';
import { principalView } from '../views';
import { GUEST_MAX_ACTIVE, GUEST_QUOTAS } from './guest-quotas';

export async function createGuest(deps: Pick<AppDeps, 'repos' | 'config' | 'pdps'>) {
  if (deps.config.guestTtlMs <= 0) throw new ApiError('not-found', 'guest mode is off on this server');
  const now = new Date();
  const purged = await deps.repos.guests.deleteExpired(now);
  if (purged.length > 0) deps.pdps.invalidateAll();
  if ((await deps.repos.guests.countActive(now)) >= GUEST_MAX_ACTIVE) throw new ApiError('unavailable', 'too many guest sessions at the moment: try again later');

  const id = randomUUID();
  const name = `guest-${randomBytes(6).toString('hex')}`;
  const { key, stored } = newApiKey('guest');
  const expiresAt = new Date(now.getTime() + deps.config.guestTtlMs);
  const principal = await deps.repos.guests.create({ id, name }, stored, expiresAt);
  try {
    const project = await createProject(deps, { id, name, roles: principal.roles }, { name: 'Guest project', description: 'A throw-away project: it goes when the guest session expires.' });
    const created = await createDomain(deps, project.id, { name: 'test-domain', description: 'Try your policies here.' });
    await deps.repos.domains.updateConfig(created.id, { ...DEFAULT_PDP_CONFIG, logDetail: 'full' });
    deps.pdps.invalidate(created.id);
    return { apiKey: key, principal: principalView(principal), project, domain: await getDomain(deps, created.id), expiresAt: expiresAt.toISOString(), quotas: { ...GUEST_QUOTAS } };
  } catch (e) {
    // Never leave a half-made guest behind.
    await deps.repos.principals.delete(id);
    throw e;
  }
}
