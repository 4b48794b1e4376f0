/**
 * deny-unless-permit and permit-unless-deny (XACML 3.0 §C.10, §C.11): never NotApplicable or
 * Indeterminate; the named decision wins as soon as one child gives it, otherwise the default.
 */
import { D } from '../evaluate/outcome';
import { Gathered, type CombiningAlgorithm } from './combinable';

function unless(id: string, winner: D.Permit | D.Deny): CombiningAlgorithm {
  const fallback = winner === D.Permit ? D.Deny : D.Permit;
  return {
    id,
    combine(children, s) {
      const g = new Gathered(s.collectPolicyIds);
      for (const c of children) {
        const o = c.evaluate(s);
        if (o.d === D.NotApplicable) continue;
        g.add(o);
        if (o.d === winner) return g.result(winner, undefined, o);
      }
      return g.result(fallback);
    },
  };
}

export const denyUnlessPermit = (id: string): CombiningAlgorithm => unless(id, D.Permit);
export const permitUnlessDeny = (id: string): CombiningAlgorithm => unless(id, D.Deny);
