/**
 * An owner's test evaluation (the GUI's Evaluate page): the request goes through the domain's
 * cached PDP exactly as if the chosen authorised domains controller had called the PDP-URL —
 * its identity in the evaluation context (so its Context Handler answers) and in the log — but
 * always traced and logged in full, marked with who ran the test.
 */
import { parseRequestJson, parseRequestXml, serializeResponseJson, serializeResponseXml } from '@safax/xacml';
import type { Actor } from '../../auth/actor';
import type { AppDeps } from '../../app-deps';
import { ApiError, notFound } from '../../errors/api-error';
import { authzenDecision, authzenToXacmlJson, parseEvaluation } from '../../pdp/authzen-mapping';
import { resolvePrincipal } from '../projects/resolve-principal';
import { logDecision, runEvaluation, summarise } from './evaluation-outcome';
import type { EvaluationRun } from './evaluation-outcome';
import { newTransactionId } from './transaction-id';

export const TEST_FORMATS = ['xacml-xml', 'xacml-json', 'authzen'] as const;
export type TestFormat = (typeof TEST_FORMATS)[number];

const CONTENT_TYPE: Record<TestFormat, string> = { 'xacml-xml': 'application/xacml+xml', 'xacml-json': 'application/xacml+json', authzen: 'application/json' };

export interface TestEvaluationInput {
  /** Principal id or name of an authorised domains controller; absent: the owner itself. */
  readonly asController?: string;
  readonly format: TestFormat;
  readonly body: string;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('malformed-body', 'the AuthZEN request is not well-formed JSON');
  }
}

export async function testEvaluate(deps: Pick<AppDeps, 'repos' | 'pdps' | 'decisionLog'>, actor: Actor, domainId: string, input: TestEvaluationInput) {
  const entry = await deps.pdps.byDomainId(domainId);
  if (!entry) throw notFound('domain');
  let callerId = actor.id;
  if (input.asController !== undefined) {
    const p = await resolvePrincipal(deps, input.asController).catch(() => null);
    if (!p || !entry.domain.controllerIds.includes(p.id)) throw new ApiError('bad-request', `${input.asController} is not an authorised domains controller of this domain`);
    callerId = p.id;
  }
  const caller = { txId: newTransactionId(), callerId };
  let run: EvaluationRun;
  let response: string;
  if (input.format === 'authzen') {
    const evaluation = parseEvaluation(parseJsonText(input.body));
    run = await runEvaluation(entry, parseRequestJson(authzenToXacmlJson(evaluation)), caller, { trace: true });
    response = JSON.stringify(authzenDecision(run.response.results[0]));
  } else {
    const xml = input.format === 'xacml-xml';
    run = await runEvaluation(entry, xml ? parseRequestXml(input.body) : parseRequestJson(input.body), caller, { trace: true });
    response = xml ? serializeResponseXml(run.response) : JSON.stringify(serializeResponseJson(run.response));
  }
  await logDecision(deps, entry, caller, input.format, run, { request: input.body, response }, actor.id);
  const s = summarise(run.full);
  return {
    txId: caller.txId,
    format: input.format,
    callerId,
    testedBy: actor.id,
    decision: s.decision,
    status: s.statusCode,
    policies: s.policies,
    contentType: CONTENT_TYPE[input.format],
    response,
    trace: run.trace ?? [],
    calls: run.calls.map((c) => ({ ...c })),
  };
}
