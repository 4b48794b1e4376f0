/**
 * OpenID AuthZEN 1.0 (access/v1/evaluation and evaluations) as the platform serves it. The
 * wire types match openapi.yaml (AuthzenEvaluation, AuthzenEvaluations, AuthzenDecision).
 *
 * AuthZEN carries no datatypes beyond JSON's, no issuers and no categories other than
 * subject, action, resource and context: such requests are refused (InvalidRequestError), use
 * a XACML format. Answers carry obligation and advice ids without their attribute
 * assignments.
 */
import type { Decision, PdpAnswer, PepAction } from '../decision';
import { InvalidRequestError } from '../request';
import type { Properties, PropertyValue, ScalarValue } from '../request';
import type { Codec, Outgoing, PreparedRequest } from './codec';
import { MalformedResponseError, expectMediaType } from './codec';

export type AuthzenScalar = string | number | boolean;
export type AuthzenProperties = Record<string, AuthzenScalar | AuthzenScalar[]>;

export interface AuthzenSubject {
  type: string;
  id: string;
  properties?: AuthzenProperties;
}
export interface AuthzenAction {
  name: string;
  properties?: AuthzenProperties;
}
export interface AuthzenResource {
  type: string;
  id: string;
  properties?: AuthzenProperties;
}

/** POST {pdpUrl}/access/v1/evaluation */
export interface AuthzenEvaluation {
  subject: AuthzenSubject;
  action: AuthzenAction;
  resource: AuthzenResource;
  context?: AuthzenProperties;
}

export type AuthzenEvaluationsSemantic = 'execute_all' | 'deny_on_first_deny' | 'permit_on_first_permit';

/** POST {pdpUrl}/access/v1/evaluations */
export interface AuthzenEvaluations {
  subject?: AuthzenSubject;
  action?: AuthzenAction;
  resource?: AuthzenResource;
  context?: AuthzenProperties;
  evaluations?: Partial<AuthzenEvaluation>[];
  options?: { evaluations_semantic?: AuthzenEvaluationsSemantic };
}

/** The answer to one evaluation. */
export interface AuthzenDecision {
  decision: boolean;
  context: {
    xacml_decision: Decision;
    status: string;
    status_message?: string;
    obligations?: string[];
    advice?: string[];
  };
}

export interface AuthzenEvaluationsResponse {
  evaluations: AuthzenDecision[];
}

export const AUTHZEN_EVALUATION_PATH = '/access/v1/evaluation';
export const AUTHZEN_EVALUATIONS_PATH = '/access/v1/evaluations';

const DECISIONS: ReadonlySet<string> = new Set(['Permit', 'Deny', 'NotApplicable', 'Indeterminate']);

function properties(props: Properties | undefined): AuthzenProperties | undefined {
  if (props === undefined) return undefined;
  const out: AuthzenProperties = {};
  for (const [name, value] of Object.entries(props)) {
    const values = scalars(value);
    if (values.length === 0) continue;
    out[name] = Array.isArray(value) || values.length > 1 ? values : values[0]!;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function scalars(v: PropertyValue): ScalarValue[] {
  if (Array.isArray(v)) return [...(v as readonly ScalarValue[])];
  if (v !== null && typeof v === 'object') return [...(v as { values: readonly ScalarValue[] }).values];
  return [v as ScalarValue];
}

/** The AuthZEN evaluation for a request (which `check` accepted). */
export function toAuthzenEvaluation(p: PreparedRequest): AuthzenEvaluation {
  const r = p.request;
  const subjectProps = properties(r.subject.properties);
  const actionProps = properties(r.action.properties);
  const resourceProps = properties(r.resource.properties);
  const context = properties(r.environment);
  return {
    subject: { type: r.subject.type!, id: r.subject.id, ...(subjectProps ? { properties: subjectProps } : {}) },
    action: { name: r.action.name, ...(actionProps ? { properties: actionProps } : {}) },
    resource: { type: r.resource.type!, id: r.resource.id, ...(resourceProps ? { properties: resourceProps } : {}) },
    ...(context ? { context } : {}),
  };
}

function readDecision(v: unknown, path: string): PdpAnswer {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new MalformedResponseError(`${path}: expected an object`);
  const o = v as Record<string, unknown>;
  if (typeof o.decision !== 'boolean') throw new MalformedResponseError(`${path}.decision: expected true or false`);
  const ctx = o.context;
  if (ctx === undefined) {
    // Another AuthZEN PDP may answer the boolean only.
    return { decision: o.decision ? 'Permit' : 'Deny', status: { code: 'urn:oasis:names:tc:xacml:1.0:status:ok' }, obligations: [], advice: [] };
  }
  if (ctx === null || typeof ctx !== 'object' || Array.isArray(ctx)) throw new MalformedResponseError(`${path}.context: expected an object`);
  const c = ctx as Record<string, unknown>;
  let decision: Decision = o.decision ? 'Permit' : 'Deny';
  if (c.xacml_decision !== undefined) {
    if (typeof c.xacml_decision !== 'string' || !DECISIONS.has(c.xacml_decision)) throw new MalformedResponseError(`${path}.context.xacml_decision: unknown decision`);
    decision = c.xacml_decision as Decision;
    if ((decision === 'Permit') !== o.decision) throw new MalformedResponseError(`${path}: decision ${String(o.decision)} contradicts xacml_decision ${decision}`);
  }
  const status = c.status === undefined ? 'urn:oasis:names:tc:xacml:1.0:status:ok' : c.status;
  if (typeof status !== 'string' || status === '') throw new MalformedResponseError(`${path}.context.status: expected a string`);
  if (c.status_message !== undefined && typeof c.status_message !== 'string') throw new MalformedResponseError(`${path}.context.status_message: expected a string`);
  const ids = (key: 'obligations' | 'advice'): PepAction[] => {
    const list = c[key];
    if (list === undefined) return [];
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string' || x === '')) throw new MalformedResponseError(`${path}.context.${key}: expected an array of ids`);
    return (list as string[]).map((id) => ({ id, assignments: [] }));
  };
  return {
    decision,
    status: { code: status, ...(typeof c.status_message === 'string' ? { message: c.status_message } : {}) },
    obligations: ids('obligations'),
    advice: ids('advice'),
  };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new MalformedResponseError('the answer is not valid JSON');
  }
}

export const authzenCodec: Codec = {
  format: 'authzen',
  check(p) {
    if (p.normal.xacmlOnly !== undefined) throw new InvalidRequestError(`the AuthZEN format cannot carry this request: ${p.normal.xacmlOnly}; use format 'xacml-json' or 'xacml-xml'`);
  },
  encodeOne(p): Outgoing {
    return { path: AUTHZEN_EVALUATION_PATH, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(toAuthzenEvaluation(p)) };
  },
  encodeMany(ps): Outgoing {
    // No `options`: the platform's default semantic, execute_all, answers every item.
    const body: AuthzenEvaluations = { evaluations: ps.map(toAuthzenEvaluation) };
    return { path: AUTHZEN_EVALUATIONS_PATH, contentType: 'application/json', accept: 'application/json', body: JSON.stringify(body) };
  },
  decodeOne(body, contentType) {
    expectMediaType(contentType, ['application/json']);
    return readDecision(parseJson(body), 'answer');
  },
  decodeMany(body, contentType, count) {
    expectMediaType(contentType, ['application/json']);
    const doc = parseJson(body) as { evaluations?: unknown };
    if (doc === null || typeof doc !== 'object' || !Array.isArray(doc.evaluations)) throw new MalformedResponseError('expected { evaluations: [...] }');
    if (doc.evaluations.length !== count) throw new MalformedResponseError(`asked for ${count} evaluations, got ${doc.evaluations.length}`);
    return doc.evaluations.map((e, i) => readDecision(e, `evaluations[${i}]`));
  },
  itemTransactionId: (tx, i) => `${tx}.${i}`,
};
