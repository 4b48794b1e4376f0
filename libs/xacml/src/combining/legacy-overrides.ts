/**
 * The XACML 1.0/1.1 deny-overrides and permit-overrides (3.0 Appendix C.4–C.7, deprecated),
 * which know only a plain Indeterminate. Rule and policy variants differ: for policies a
 * legacy deny-overrides turns any Indeterminate into Deny.
 */
import { D, isIndeterminate } from '../evaluate/outcome';
import { Gathered, type CombiningAlgorithm } from './combinable';

export function legacyRuleDenyOverrides(id: string): CombiningAlgorithm {
  return legacyRuleOverrides(id, D.Deny);
}

export function legacyRulePermitOverrides(id: string): CombiningAlgorithm {
  return legacyRuleOverrides(id, D.Permit);
}

/** Rules: a winning effect wins; an Indeterminate rule that could have given it makes the result Indeterminate. */
function legacyRuleOverrides(id: string, winner: D.Permit | D.Deny): CombiningAlgorithm {
  const loser = winner === D.Deny ? D.Permit : D.Deny;
  const couldWin = winner === D.Deny ? D.IndeterminateD : D.IndeterminateP;
  return {
    id,
    combine(children, s) {
      const g = new Gathered(s.collectPolicyIds);
      let error = false;
      let potential = false;
      let loserSeen = false;
      for (const c of children) {
        const o = c.evaluate(s);
        if (o.d === D.NotApplicable) continue;
        g.add(o);
        if (o.d === winner) return g.result(winner, undefined, o);
        if (o.d === loser) loserSeen = true;
        else {
          error = true;
          if (o.d === couldWin || o.d === D.IndeterminateDP) potential = true;
        }
      }
      if (potential) return g.result(D.IndeterminateDP, g.firstStatus);
      if (loserSeen) return g.result(loser);
      if (error) return g.result(D.IndeterminateDP, g.firstStatus);
      return g.result(D.NotApplicable);
    },
  };
}

/** Policies, deny-overrides: Deny if any child is Deny or Indeterminate. */
export function legacyPolicyDenyOverrides(id: string): CombiningAlgorithm {
  return {
    id,
    combine(children, s) {
      const g = new Gathered(s.collectPolicyIds);
      let permit = false;
      for (const c of children) {
        const o = c.evaluate(s);
        if (o.d === D.NotApplicable) continue;
        g.add(o);
        if (o.d === D.Deny) return g.result(D.Deny, undefined, o);
        if (isIndeterminate(o.d)) return g.result(D.Deny);
        permit = true;
      }
      return g.result(permit ? D.Permit : D.NotApplicable);
    },
  };
}

/** Policies, permit-overrides: Permit wins; then Deny; then Indeterminate. */
export function legacyPolicyPermitOverrides(id: string): CombiningAlgorithm {
  return {
    id,
    combine(children, s) {
      const g = new Gathered(s.collectPolicyIds);
      let deny = false;
      let error = false;
      for (const c of children) {
        const o = c.evaluate(s);
        if (o.d === D.NotApplicable) continue;
        g.add(o);
        if (o.d === D.Permit) return g.result(D.Permit, undefined, o);
        if (o.d === D.Deny) deny = true;
        else error = true;
      }
      if (deny) return g.result(D.Deny);
      if (error) return g.result(D.IndeterminateDP, g.firstStatus);
      return g.result(D.NotApplicable);
    },
  };
}
