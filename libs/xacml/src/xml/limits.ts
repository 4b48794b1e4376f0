/** Default bounds on untrusted documents; every parser applies them before building anything. */
import type { ParseLimits } from '../pdp-types';

export const DEFAULT_LIMITS: ParseLimits = Object.freeze({
  maxBytes: 5 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 200_000,
});

export function withDefaults(limits?: Partial<ParseLimits>): ParseLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}
