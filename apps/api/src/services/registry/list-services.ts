/**
 * Discovery. PDP entries are listed only to who may reach that PDP (admins, the domain's
 * owner, collaborators and authorised controllers): their endpoint is the PDP-URL.
 */
import type { ServiceQuery } from '@safax/contracts';
import { isAdmin } from '../../auth/actor';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { principalNames } from '../principals/principal-names';
import { serviceView } from '../views';

export async function listServices(deps: Pick<AppDeps, 'repos'>, actor: Actor, q: ServiceQuery) {
  const rows = await deps.repos.services.list(q);
  const admin = isAdmin(actor);
  const visible: typeof rows = [];
  for (const r of rows) {
    if (r.type === 'pdp' && r.domainId !== null && !admin && r.registeredById !== actor.id) {
      const d = await deps.repos.domains.findById(r.domainId);
      if (!d || !(d.collaboratorIds.includes(actor.id) || d.controllerIds.includes(actor.id))) continue;
    }
    visible.push(r);
  }
  const nameOf = await principalNames(deps, visible.map((r) => r.registeredById));
  return visible.map((r) => serviceView(r, nameOf(r.registeredById)));
}
