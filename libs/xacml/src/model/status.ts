/**
 * XACML status (7.19.3 / 5.53): the reason a result is what it is, and the Indeterminate
 * signal raised inside expression evaluation.
 */
import { STATUS } from './identifiers';

export interface MissingAttributeDetail {
  readonly category: string;
  readonly attributeId: string;
  readonly datatype: string;
  readonly issuer?: string;
}

export interface Status {
  /** Top-level status code URI. */
  readonly code: string;
  /** Nested minor status code, when one applies. */
  readonly subCode?: string;
  readonly message?: string;
  readonly missingAttributes?: readonly MissingAttributeDetail[];
}

export const STATUS_OK: Status = Object.freeze({ code: STATUS.ok });

/**
 * Thrown inside expression evaluation; caught by the rule/target/policy evaluator and turned
 * into an Indeterminate decision carrying `status`. Never escapes the engine's public API.
 */
export class IndeterminateError extends Error {
  override readonly name = 'IndeterminateError';
  constructor(readonly status: Status) {
    super(status.message ?? status.code);
  }
}

export function processingError(message: string): IndeterminateError {
  return new IndeterminateError({ code: STATUS.processingError, message });
}

export function syntaxErrorStatus(message: string): IndeterminateError {
  return new IndeterminateError({ code: STATUS.syntaxError, message });
}

export function missingAttribute(message: string, detail?: MissingAttributeDetail): IndeterminateError {
  return new IndeterminateError({
    code: STATUS.missingAttribute,
    message,
    ...(detail ? { missingAttributes: [detail] } : {}),
  });
}
