/** Who is calling: an authenticated principal, or nobody (a public PDP-URL caller). */
import type { Role } from '../repositories/ports';

export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
}

export function isAdmin(actor: Actor | null): boolean {
  return actor?.roles.includes('admin') ?? false;
}
