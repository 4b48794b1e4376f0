/**
 * @safax/pep — the public API of the PEP SDK. Everything not exported here is internal.
 */
export { createPdpClient, PepConfigError } from './client';
export type { CacheOptions, DecideOptions, PdpClient, PdpClientOptions, PdpClientStats, PepEvent } from './client';

export { FAILURE_CODES, UNAVAILABLE_CODES } from './decision';
export type { AttributeAssignment, Decision, DecisionResult, DecisionStatus, FailureCause, FailureCode, HandlerProblem, PdpAnswer, PepAction } from './decision';

export { acceptObligation, assignmentValue, assignmentValues } from './handlers';
export type { HandlerContext, HandlerMap, PepActionHandler } from './handlers';

export { action, category, decisionRequest, intermediarySubject, InvalidRequestError, issued, normalizeRequest, resource, subject, typed } from './request';
export type { ActionSpec, CategorySpec, NormalAttribute, NormalCategory, NormalRequest, PepRequest, Properties, PropertyValue, ResourceSpec, ScalarValue, SubjectSpec, TypedAttribute } from './request';

export { ATTRIBUTE, AUTHZEN_PREFIX, CATEGORY, DATATYPE, STATUS, XACML3_NS } from './identifiers';

export { DEFAULT_LOCALS_KEY, pepDecision, requireDecision } from './express-middleware';
export type { HttpContext, RequireDecisionOptions } from './express-middleware';

export type { BreakerState } from './resilience';
export { createHttpTransport } from './transport/http-transport';
export type { HttpTransportOptions } from './transport/http-transport';
export { TransportError } from './transport/transport';
export type { Transport, TransportFailureKind, TransportRequest, TransportResponse } from './transport/transport';

export { PDP_FORMATS } from './wire/codec';
export type { PdpFormat } from './wire/codec';
export { AUTHZEN_EVALUATION_PATH, AUTHZEN_EVALUATIONS_PATH, toAuthzenEvaluation } from './wire/authzen';
export type {
  AuthzenAction,
  AuthzenDecision,
  AuthzenEvaluation,
  AuthzenEvaluations,
  AuthzenEvaluationsResponse,
  AuthzenEvaluationsSemantic,
  AuthzenProperties,
  AuthzenResource,
  AuthzenScalar,
  AuthzenSubject,
} from './wire/authzen';
export { toXacmlJsonRequest, XACML_JSON_MEDIA_TYPE } from './wire/xacml-json';
export type {
  XacmlJsonAttribute,
  XacmlJsonAttributeAssignment,
  XacmlJsonCategory,
  XacmlJsonPepAction,
  XacmlJsonRequest,
  XacmlJsonResponse,
  XacmlJsonResult,
  XacmlJsonValue,
} from './wire/xacml-json';
export { toXacmlXmlRequest, XACML_XML_MEDIA_TYPE } from './wire/xacml-xml';
