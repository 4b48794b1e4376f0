/**
 * OpenID AuthZEN 1.0 ↔ XACML. An AuthZEN evaluation request becomes a XACML JSON Profile
 * request (datatypes inferred from JSON types, as the profile does):
 *
 * | AuthZEN | XACML category | attribute id |
 * |---|---|---|
 * | subject.id | access-subject | urn:oasis:names:tc:xacml:1.0:subject:subject-id |
 * | subject.type | access-subject | urn:safax:1.0:authzen:subject:type |
 * | subject.properties.P | access-subject | P if it contains ":", else urn:safax:1.0:authzen:subject:P |
 * | action.name | action | urn:oasis:names:tc:xacml:1.0:action:action-id |
 * | action.properties.P | action | P or urn:safax:1.0:authzen:action:P |
 * | resource.id | resource | urn:oasis:names:tc:xacml:1.0:resource:resource-id |
 * | resource.type | resource | urn:safax:1.0:authzen:resource:type |
 * | resource.properties.P | resource | P or urn:safax:1.0:authzen:resource:P |
 * | context.P | environment | P or urn:safax:1.0:authzen:context:P |
 *
 * Property values: string, boolean, number (integer or double), or an array of one of those
 * (a bag). The answer: `decision` is true only for Permit; `context` carries the XACML
 * decision, status, and obligation/advice ids (a PEP that cannot honour obligations denies).
 */
import { z } from 'zod';
import { ATTR } from '@safax/xacml';
import type { XacmlResult } from '@safax/xacml';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const propertyValue = z.union([scalar, z.array(scalar).min(1)]);
const properties = z.record(z.string().min(1), propertyValue);

export const authzenSubjectSchema = z.strictObject({ type: z.string().min(1), id: z.string().min(1), properties: properties.optional() });
export const authzenActionSchema = z.strictObject({ name: z.string().min(1), properties: properties.optional() });
export const authzenResourceSchema = z.strictObject({ type: z.string().min(1), id: z.string().min(1), properties: properties.optional() });
export const authzenContextSchema = properties;

export const authzenEvaluationSchema = z.strictObject({
  subject: authzenSubjectSchema,
  action: authzenActionSchema,
  resource: authzenResourceSchema,
  context: authzenContextSchema.optional(),
});
export type AuthzenEvaluation = z.infer<typeof authzenEvaluationSchema>;

const partialEvaluation = z.strictObject({
  subject: authzenSubjectSchema.optional(),
  action: authzenActionSchema.optional(),
  resource: authzenResourceSchema.optional(),
  context: authzenContextSchema.optional(),
});

export const EVALUATIONS_SEMANTICS = ['execute_all', 'deny_on_first_deny', 'permit_on_first_permit'] as const;

export const authzenEvaluationsSchema = partialEvaluation.extend({
  evaluations: z.array(partialEvaluation).max(1000).optional(),
  options: z.strictObject({ evaluations_semantic: z.enum(EVALUATIONS_SEMANTICS).optional() }).optional(),
});
export type AuthzenEvaluations = z.infer<typeof authzenEvaluationsSchema>;

interface JsonAttribute {
  AttributeId: string;
  Value: unknown;
}

function propertyAttributes(prefix: string, props: Record<string, unknown> | undefined): JsonAttribute[] {
  if (!props) return [];
  return Object.entries(props).map(([k, v]) => ({ AttributeId: k.includes(':') ? k : `${prefix}${k}`, Value: v }));
}

/** The XACML JSON Profile request for one AuthZEN evaluation. */
export function authzenToXacmlJson(e: AuthzenEvaluation): unknown {
  const environment = propertyAttributes('urn:safax:1.0:authzen:context:', e.context);
  return {
    Request: {
      AccessSubject: {
        Attribute: [
          { AttributeId: ATTR.subjectId, Value: e.subject.id },
          { AttributeId: 'urn:safax:1.0:authzen:subject:type', Value: e.subject.type },
          ...propertyAttributes('urn:safax:1.0:authzen:subject:', e.subject.properties),
        ],
      },
      Action: { Attribute: [{ AttributeId: ATTR.actionId, Value: e.action.name }, ...propertyAttributes('urn:safax:1.0:authzen:action:', e.action.properties)] },
      Resource: {
        Attribute: [
          { AttributeId: ATTR.resourceId, Value: e.resource.id },
          { AttributeId: 'urn:safax:1.0:authzen:resource:type', Value: e.resource.type },
          ...propertyAttributes('urn:safax:1.0:authzen:resource:', e.resource.properties),
        ],
      },
      ...(environment.length > 0 ? { Environment: { Attribute: environment } } : {}),
    },
  };
}

export interface AuthzenDecision {
  readonly decision: boolean;
  readonly context: {
    readonly xacml_decision: string;
    readonly status: string;
    readonly status_message?: string;
    readonly obligations?: readonly string[];
    readonly advice?: readonly string[];
  };
}

export function authzenDecision(result: XacmlResult | undefined): AuthzenDecision {
  if (!result) return { decision: false, context: { xacml_decision: 'Indeterminate', status: 'urn:oasis:names:tc:xacml:1.0:status:processing-error' } };
  return {
    decision: result.decision === 'Permit',
    context: {
      xacml_decision: result.decision,
      status: result.status.code,
      ...(result.status.message !== undefined ? { status_message: result.status.message } : {}),
      ...(result.obligations.length > 0 ? { obligations: result.obligations.map((o) => o.id) } : {}),
      ...(result.advice.length > 0 ? { advice: result.advice.map((a) => a.id) } : {}),
    },
  };
}

/** Merges the batch's defaults into one item (item members win), or says what is missing. */
export function mergeEvaluation(defaults: AuthzenEvaluations, item: z.infer<typeof partialEvaluation>): AuthzenEvaluation | string {
  const subject = item.subject ?? defaults.subject;
  const action = item.action ?? defaults.action;
  const resource = item.resource ?? defaults.resource;
  const context = item.context ?? defaults.context;
  if (!subject) return 'subject';
  if (!action) return 'action';
  if (!resource) return 'resource';
  return { subject, action, resource, ...(context ? { context } : {}) };
}
