/** Engine response model → the SDK's own answer type (lexical values, datatype ids). */
import type { XacmlResult } from '@safax/xacml';
import type { PdpAnswer, PepAction } from '../decision';

type EngineAction = XacmlResult['obligations'][number];

function action(a: EngineAction): PepAction {
  return {
    id: a.id,
    assignments: a.assignments.map((x) => ({
      attributeId: x.attributeId,
      value: x.value.datatype.format(x.value.value),
      datatype: x.value.datatype.id,
      ...(x.category !== undefined ? { category: x.category } : {}),
      ...(x.issuer !== undefined ? { issuer: x.issuer } : {}),
    })),
  };
}

export function answerOf(r: XacmlResult): PdpAnswer {
  return {
    decision: r.decision,
    status: { code: r.status.code, ...(r.status.message !== undefined ? { message: r.status.message } : {}) },
    obligations: r.obligations.map(action),
    advice: r.advice.map(action),
  };
}
