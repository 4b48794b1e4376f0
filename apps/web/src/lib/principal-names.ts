/**
 * Labels for principals: the API lists collaborators and controllers as `{ id, name }`; log
 * entries carry only the caller's id, named from the domain's controllers or the signed-in owner.
 */
import type { PrincipalRef } from '../api/types';

/** "dc-one (a1b2c3d4…)"; just the id when the name is the id. */
export function principalLabel(p: PrincipalRef): string {
  return p.name && p.name !== p.id ? `${p.name} (${p.id.slice(0, 8)}…)` : p.id;
}

/** Names a caller id from the principals the page knows of, else shows the id. */
export function labelFor(id: string, known: readonly (PrincipalRef | null | undefined)[]): string {
  const hit = known.find((k) => k?.id === id);
  return hit ? principalLabel(hit) : id;
}
