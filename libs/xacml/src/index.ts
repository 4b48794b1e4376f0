/**
 * @safax/xacml — a XACML 3.0 policy engine: parse, compile, evaluate (XML and JSON Profile).
 * The public API; everything not exported here is internal.
 */
export { compilePdp } from './pdp';
export type { Pdp, PolicySummary } from './pdp';
export type {
  AttributeQuery,
  AttributeResolver,
  Evaluation,
  EvaluateOptions,
  ParseLimits,
  PdpOptions,
  PolicySource,
  ResolverRequestView,
  TraceDecision,
  TraceEntry,
} from './pdp-types';
export type { CompatibilityWarning, LeniencyCode } from './compile/leniency';
export { DEFAULT_EVALUATION_LIMITS } from './evaluate/limits';
export type { EvaluationLimits } from './evaluate/limits';
export { inspectPolicy } from './inspect-policy';
export type { PolicyInfo } from './inspect-policy';

export { parseRequestXml } from './request/xml-request';
export { parseRequestJson } from './request/json-request';
export { serializeRequestJson } from './request/json-request-writer';
export { individualRequests } from './request/individual-requests';
export { HIERARCHY_ATTR, SCOPE_ATTRIBUTES, hierarchyFromParents } from './request/hierarchy';
export type { ResourceHierarchy } from './request/hierarchy';
export type { IndividualRequest } from './request/individual-requests';
export { serializeResponseXml, parseResponseXml } from './response/xml-response';
export { serializeResponseJson, parseResponseJson } from './response/json-response';

export { XacmlError, ValueSyntaxError } from './model/errors';
export type { XacmlErrorCode, XacmlIssue, XacmlErrorKind } from './model/errors';
export { IndeterminateError, processingError, missingAttribute, STATUS_OK } from './model/status';
export type { Status, MissingAttributeDetail } from './model/status';
export type { XacmlRequest, RequestCategory, RequestAttribute, RequestReference } from './model/request';
export type {
  AttributeAssignment,
  Decision,
  IdReference,
  PepAction,
  PolicyIdentifierList,
  XacmlResponse,
  XacmlResult,
} from './model/response';
export type { AttributeValue, Bag, ExprValue, FunctionArg } from './model/values';
export { isBag, bagOf } from './model/values';
export { ATTR, CATEGORY, DT, STATUS, XACML3_NS } from './model/identifiers';

export type { Datatype, DatatypeRegistry, ValueParseContext } from './datatypes/datatype';
export { STANDARD_DATATYPES, parseValue, booleanValue, TRUE, FALSE } from './datatypes/registry';
export type {
  CheckResult,
  EagerFunctionDef,
  FunctionDef,
  FunctionProvider,
  LazyArg,
  LazyFunctionDef,
  StaticType,
} from './functions/function-def';
export type { EvalContext } from './evaluate/eval-context';
export { STANDARD_FUNCTIONS, createFunctionRegistry } from './functions/registry';
export type { FunctionRegistry } from './functions/registry';
export { COMBINING_ALGORITHMS } from './combining/registry';
