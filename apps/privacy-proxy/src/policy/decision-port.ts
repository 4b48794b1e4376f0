/**
 * The proxy's port to the PDP: many dataset requests of one statement in one round trip.
 * Implemented with @safax/pep (pep-decision-port.ts); the session never sees HTTP.
 */
import type { UseAction } from '../sql/analyze-statement';

export interface Principal {
  readonly id: string;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
}

export interface DatasetRequest {
  /** Access subject: the authenticated user, or the technical user when it relays (see README). */
  readonly subject: Principal;
  /** The original user a technical user relays for (intermediary-subject category). */
  readonly onBehalfOf?: string;
  readonly action: UseAction;
  readonly resource: { readonly id: string; readonly type: string; readonly columns: readonly string[] };
  readonly purpose?: string;
}

export interface PortObligation {
  readonly id: string;
  readonly assignments: readonly { readonly attributeId: string; readonly value: string }[];
}

export type PortDecision =
  | { readonly outcome: 'permit'; readonly obligations: readonly PortObligation[]; readonly transactionId?: string }
  | { readonly outcome: 'deny'; readonly reason: 'deny' | 'not-applicable' | 'indeterminate' | 'unknown-obligation' | 'invalid-request'; readonly message: string; readonly transactionId?: string }
  | { readonly outcome: 'unavailable'; readonly message: string; readonly transactionId?: string };

export interface DecisionPort {
  /** One decision per request, in order; never rejects (failures are `unavailable` decisions). */
  decideMany(requests: readonly DatasetRequest[], options?: { signal?: AbortSignal }): Promise<PortDecision[]>;
  close(): Promise<void>;
}
