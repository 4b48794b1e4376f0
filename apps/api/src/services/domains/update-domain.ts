/** Renames a domain or makes its PDP-URL public/private; the PDP is re-initialised. */
import type { AppDeps } from '../../app-deps';
import { domainView } from '../views';

export async function updateDomain(deps: Pick<AppDeps, 'repos' | 'config' | 'pdps'>, id: string, patch: { name?: string; description?: string; publicPdp?: boolean }) {
  const d = await deps.repos.domains.update(id, patch);
  deps.pdps.invalidate(id);
  return domainView(deps.config, d);
}
