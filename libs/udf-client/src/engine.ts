/**
 * The engine pieces this package uses, in one place, all from the engine's public API.
 * (No deep imports across packages: if the engine renames something, only this file changes.)
 */
export { IndeterminateError, parseValue } from '@safax/xacml';
export type {
  AttributeQuery,
  AttributeResolver,
  AttributeValue,
  Bag,
  CheckResult,
  EagerFunctionDef,
  EvalContext,
  ExprValue,
  FunctionDef,
  FunctionProvider,
  ResolverRequestView,
  StaticType,
} from '@safax/xacml';

/** XACML processing-error status code (XACML 3.0 B.8). */
export const PROCESSING_ERROR = 'urn:oasis:names:tc:xacml:1.0:status:processing-error';
