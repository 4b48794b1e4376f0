/**
 * The PEP SDK's wire types against the client types generated from openapi.yaml: what the SDK
 * sends is assignable to the PDP operations' request bodies, and what the contract says the PDP
 * answers is assignable to what the SDK reads. The checks are type-level (`npm run typecheck`
 * fails when the SDK and the contract drift apart); the test runs the SDK's own encoders so a
 * real value passes through the typed bodies too.
 */
import { action, resource, subject, toAuthzenEvaluation, toXacmlJsonRequest, normalizeRequest } from '@safax/pep';
import type { AuthzenDecision, AuthzenEvaluation, AuthzenEvaluations, AuthzenEvaluationsResponse, XacmlJsonRequest } from '@safax/pep';
import type { operations } from '../src/contract/openapi-types';

type Assignable<A, B> = [A] extends [B] ? true : false;
type Expect<T extends true> = T;

type EvaluationBody = operations['authzenEvaluation']['requestBody']['content']['application/json'];
type EvaluationsBody = operations['authzenEvaluations']['requestBody']['content']['application/json'];
type EvaluationAnswer = operations['authzenEvaluation']['responses'][200]['content']['application/json'];
type EvaluationsAnswer = operations['authzenEvaluations']['responses'][200]['content']['application/json'];
type XacmlJsonBody = operations['decideXacml']['requestBody']['content']['application/xacml+json'];

export type SdkToContract = [
  Expect<Assignable<AuthzenEvaluation, EvaluationBody>>,
  Expect<Assignable<AuthzenEvaluations, EvaluationsBody>>,
  // The contract describes the XACML JSON Profile body only as an object; the SDK's type is narrower.
  Expect<Assignable<XacmlJsonRequest, XacmlJsonBody>>,
];
export type ContractToSdk = [Expect<Assignable<EvaluationAnswer, AuthzenDecision>>, Expect<Assignable<Extract<EvaluationsAnswer, { evaluations: unknown }>, AuthzenEvaluationsResponse>>];

describe('@safax/pep wire types and openapi.yaml', () => {
  it('the SDK encodes requests into the contract\'s body types', () => {
    const request = { subject: subject('bob', { type: 'user' }), action: action('view'), resource: resource('photo-17', { type: 'file' }) };
    const prepared = { request, normal: normalizeRequest(request) };
    const authzen: EvaluationBody = toAuthzenEvaluation(prepared);
    const json: XacmlJsonBody = toXacmlJsonRequest([prepared]);
    expect(authzen).toEqual({ subject: { type: 'user', id: 'bob' }, action: { name: 'view' }, resource: { type: 'file', id: 'photo-17' } });
    expect(JSON.stringify(json)).toContain('photo-17');
  });
});
