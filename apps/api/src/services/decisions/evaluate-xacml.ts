/**
 * The PDP service for the XACML wire formats: parse the request (XML or JSON Profile),
 * evaluate it with the domain's cached PDP, serialise in the same format, log (durably, by default).
 */
import { parseRequestJson, parseRequestXml, serializeResponseJson, serializeResponseXml } from '@safax/xacml';
import type { AppDeps } from '../../app-deps';
import type { DomainPdp } from '../../pdp/pdp-registry';
import type { Caller } from './evaluation-outcome';
import { logDecision, runEvaluation } from './evaluation-outcome';

export type XacmlFormat = 'xml' | 'json';

export async function evaluateXacml(deps: Pick<AppDeps, 'decisionLog'>, entry: DomainPdp, format: XacmlFormat, body: string, caller: Caller): Promise<string> {
  const request = format === 'xml' ? parseRequestXml(body) : parseRequestJson(body);
  const run = await runEvaluation(entry, request, caller);
  const text = format === 'xml' ? serializeResponseXml(run.response) : JSON.stringify(serializeResponseJson(run.response));
  await logDecision(deps, entry, caller, `xacml-${format}`, run, { request: body, response: text });
  return text;
}
