/**
 * only-one-applicable (XACML 3.0 §C.9, policies only): exactly one child whose target applies
 * decides; two applicable children, or a target that cannot be evaluated, is Indeterminate.
 */
import { STATUS } from '../model/identifiers';
import { D } from '../evaluate/outcome';
import { Gathered, MATCH, NO_MATCH, type Combinable, type CombiningAlgorithm } from './combinable';

export function onlyOneApplicable(id: string): CombiningAlgorithm {
  return {
    id,
    combine(children, s) {
      const g = new Gathered(s.collectPolicyIds);
      let selected: Combinable | undefined;
      for (const c of children) {
        const a = c.applicable(s);
        if (a === NO_MATCH) continue;
        if (a !== MATCH) return g.result(D.IndeterminateDP, a);
        if (selected) {
          return g.result(D.IndeterminateDP, { code: STATUS.processingError, message: 'only-one-applicable: more than one policy is applicable' });
        }
        selected = c;
      }
      if (!selected) return g.result(D.NotApplicable);
      const o = selected.evaluate(s);
      g.add(o);
      return g.result(o.d, o.status, o);
    },
  };
}
