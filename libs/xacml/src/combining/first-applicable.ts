/** first-applicable (XACML 3.0 §C.8): the first child that is not NotApplicable decides. */
import { D } from '../evaluate/outcome';
import { Gathered, type CombiningAlgorithm } from './combinable';

export function firstApplicable(id: string): CombiningAlgorithm {
  return {
    id,
    combine(children, s) {
      const g = new Gathered(s.collectPolicyIds);
      for (const c of children) {
        const o = c.evaluate(s);
        if (o.d === D.NotApplicable) continue;
        g.add(o);
        return g.result(o.d, o.status, o);
      }
      return g.result(D.NotApplicable);
    },
  };
}
