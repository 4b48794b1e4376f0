/**
 * deny-overrides and permit-overrides (XACML 3.0 §C.2, §C.3), for rules and policies alike;
 * the ordered- variants are the same since children are always evaluated in document order.
 * The winning decision wins at once; otherwise the extended Indeterminates say whether the
 * winner might have been reached (Indeterminate{DP}) or only one side could.
 */
import { D } from '../evaluate/outcome';
import { Gathered, type CombiningAlgorithm } from './combinable';

function overrides(id: string, winner: D.Permit | D.Deny): CombiningAlgorithm {
  const loser = winner === D.Deny ? D.Permit : D.Deny;
  const errWinner = winner === D.Deny ? D.IndeterminateD : D.IndeterminateP;
  const errLoser = winner === D.Deny ? D.IndeterminateP : D.IndeterminateD;
  return {
    id,
    combine(children, s) {
      const g = new Gathered(s.collectPolicyIds);
      let errW = false;
      let errL = false;
      let errDP = false;
      let loserSeen = false;
      for (const c of children) {
        const o = c.evaluate(s);
        if (o.d === D.NotApplicable) continue;
        g.add(o);
        if (o.d === winner) return g.result(winner, undefined, o);
        if (o.d === loser) loserSeen = true;
        else if (o.d === errWinner) errW = true;
        else if (o.d === errLoser) errL = true;
        else errDP = true;
      }
      if (errDP || (errW && (errL || loserSeen))) return g.result(D.IndeterminateDP, g.firstStatus);
      if (errW) return g.result(errWinner, g.firstStatus);
      if (loserSeen) return g.result(loser);
      if (errL) return g.result(errLoser, g.firstStatus);
      return g.result(D.NotApplicable);
    },
  };
}

export const denyOverrides = (id: string): CombiningAlgorithm => overrides(id, D.Deny);
export const permitOverrides = (id: string): CombiningAlgorithm => overrides(id, D.Permit);
