/**
 * The credential service's data and its one question: does `user` hold `credential` as far
 * as `issuer` is concerned?
 *
 * Issuers publish credentials (user holds credential C from issuer I). An issuer may accept
 * the credentials of another issuer (delegation), for one credential name or for all; accepted
 * issuers may themselves accept others, so trust flows along chains (as in GEM). The search is
 * breadth-first with a visited set, so cycles (A accepts B accepts A) end, and it is bounded
 * in depth; the answer carries the shortest chain of issuers that justified it.
 */

export interface Credential {
  readonly issuer: string;
  readonly user: string;
  readonly credential: string;
}

export interface Delegation {
  /** The issuer whose view is asked. */
  readonly issuer: string;
  /** The issuer whose credentials it accepts. */
  readonly accepts: string;
  /** Only this credential name; absent = every credential. */
  readonly credential?: string;
}

export interface CredentialAnswer {
  readonly result: boolean;
  /** Issuers from the one asked to the one that issued the credential, when found. */
  readonly chain?: readonly string[];
}

export interface CredentialLimits {
  readonly maxCredentials: number;
  readonly maxDelegations: number;
  /** Longest delegation chain followed. */
  readonly maxDepth: number;
}

export const DEFAULT_CREDENTIAL_LIMITS: CredentialLimits = { maxCredentials: 100_000, maxDelegations: 10_000, maxDepth: 16 };

export type StoreResult = { readonly ok: true; readonly created: boolean } | { readonly ok: false; readonly reason: string };


export class CredentialStore {
  /** issuer → credential → users */
  private readonly held = new Map<string, Map<string, Set<string>>>();
  /** issuer → accepted issuer → credential names ('*' = all) */
  private readonly accepted = new Map<string, Map<string, Set<string>>>();
  private credentialCount = 0;
  private delegationCount = 0;

  constructor(readonly limits: CredentialLimits = DEFAULT_CREDENTIAL_LIMITS) {}

  publish(c: Credential): StoreResult {
    const byCred = this.held.get(c.issuer) ?? new Map<string, Set<string>>();
    const users = byCred.get(c.credential) ?? new Set<string>();
    if (users.has(c.user)) return { ok: true, created: false };
    if (this.credentialCount >= this.limits.maxCredentials) return { ok: false, reason: `the store holds its limit of ${this.limits.maxCredentials} credentials` };
    users.add(c.user);
    byCred.set(c.credential, users);
    this.held.set(c.issuer, byCred);
    this.credentialCount++;
    return { ok: true, created: true };
  }

  revoke(c: Credential): boolean {
    const users = this.held.get(c.issuer)?.get(c.credential);
    if (!users?.delete(c.user)) return false;
    this.credentialCount--;
    return true;
  }

  delegate(d: Delegation): StoreResult {
    if (d.issuer === d.accepts) return { ok: false, reason: 'an issuer always accepts its own credentials' };
    const byIssuer = this.accepted.get(d.issuer) ?? new Map<string, Set<string>>();
    const names = byIssuer.get(d.accepts) ?? new Set<string>();
    const name = d.credential ?? '*';
    if (names.has(name)) return { ok: true, created: false };
    if (this.delegationCount >= this.limits.maxDelegations) return { ok: false, reason: `the store holds its limit of ${this.limits.maxDelegations} delegations` };
    names.add(name);
    byIssuer.set(d.accepts, names);
    this.accepted.set(d.issuer, byIssuer);
    this.delegationCount++;
    return { ok: true, created: true };
  }

  undelegate(d: Delegation): boolean {
    const names = this.accepted.get(d.issuer)?.get(d.accepts);
    if (!names?.delete(d.credential ?? '*')) return false;
    this.delegationCount--;
    return true;
  }

  /** Does `user` hold `credential` from `issuer` or from an issuer `issuer` accepts (transitively)? */
  has(user: string, credential: string, issuer: string): CredentialAnswer {
    const previous = new Map<string, string | null>([[issuer, null]]);
    let frontier = [issuer];
    for (let depth = 0; frontier.length > 0 && depth <= this.limits.maxDepth; depth++) {
      const next: string[] = [];
      for (const current of frontier) {
        if (this.held.get(current)?.get(credential)?.has(user)) return { result: true, chain: chainTo(current, previous) };
        for (const [other, names] of this.accepted.get(current) ?? []) {
          if (previous.has(other)) continue;
          if (!names.has('*') && !names.has(credential)) continue;
          previous.set(other, current);
          next.push(other);
        }
      }
      frontier = next;
    }
    return { result: false };
  }

  /** Credentials a user holds directly, for inspection. */
  credentialsOf(user: string): Credential[] {
    const out: Credential[] = [];
    for (const [issuer, byCred] of this.held) for (const [credential, users] of byCred) if (users.has(user)) out.push({ issuer, user, credential });
    return out;
  }

  delegations(): Delegation[] {
    const out: Delegation[] = [];
    for (const [issuer, byOther] of this.accepted) for (const [accepts, names] of byOther) for (const n of names) out.push(n === '*' ? { issuer, accepts } : { issuer, accepts, credential: n });
    return out;
  }

  get size(): { readonly credentials: number; readonly delegations: number } {
    return { credentials: this.credentialCount, delegations: this.delegationCount };
  }
}

function chainTo(found: string, previous: ReadonlyMap<string, string | null>): string[] {
  const chain: string[] = [];
  for (let at: string | null | undefined = found; at != null; at = previous.get(at)) chain.unshift(at);
  return chain;
}

