/**
 * Each PDP's Service Repository entry names its PDP-URL, which is built from PUBLIC_BASE_URL.
 * When an installation moves (a new host name, a proxy in front), the stored endpoints would
 * still point at the old address; at start they are re-pointed at the current one.
 */
import { serviceDescriptorSchema } from '@safax/contracts';
import type { AppDeps } from '../../app-deps';
import { pdpUrl } from '../views';

/** Returns how many entries were changed. */
export async function refreshPdpEndpoints(deps: Pick<AppDeps, 'repos' | 'config'>): Promise<number> {
  let changed = 0;
  for (const row of await deps.repos.services.list({ type: 'pdp' })) {
    if (row.domainId === null) continue;
    const domain = await deps.repos.domains.findById(row.domainId);
    if (!domain) continue;
    const parsed = serviceDescriptorSchema.safeParse(JSON.parse(row.descriptor));
    if (!parsed.success) continue;
    const old = parsed.data.endpoint;
    const current = pdpUrl(deps.config, domain.pdpId);
    if (old === current) continue;
    const descriptor = { ...parsed.data, endpoint: current, description: parsed.data.description.split(old).join(current) };
    await deps.repos.services.update(row.id, { descriptor: JSON.stringify(descriptor), description: descriptor.description });
    changed++;
  }
  return changed;
}
