/**
 * The failures of a trust-service call, as one typed error. It IS an engine
 * IndeterminateError with a processing-error status, so when it escapes a UDF's `invoke` the
 * engine turns the affected expression into Indeterminate — never a crash, never a Permit.
 * The message always names the service and the cause, and never echoes the response body.
 */
import { IndeterminateError, PROCESSING_ERROR } from './engine';

export type UdfErrorCode =
  /** The outbound policy forbids the endpoint (or a redirect target). */
  | 'refused'
  | 'timeout'
  | 'network'
  | 'too-large'
  /** The service answered with a non-2xx status. */
  | 'http-status'
  /** The body could not be read, or the declared location holds nothing. */
  | 'bad-response'
  /** The value found is not of the declared datatype, or not the declared cardinality. */
  | 'wrong-type'
  /** The circuit breaker is open after repeated failures. */
  | 'circuit-open'
  /** Too many calls already running and queued for this service. */
  | 'overloaded'
  /** The call's arguments do not fit the descriptor (a compile-time check should prevent it). */
  | 'invalid-arguments'
  | 'aborted';

export class UdfCallError extends IndeterminateError {
  constructor(
    readonly serviceId: string,
    readonly reason: UdfErrorCode,
    readonly detail: string,
  ) {
    super({ code: PROCESSING_ERROR, message: `trust service ${serviceId}: ${reason}: ${detail}` });
  }
}

/** A descriptor that cannot back a UDF (not a udf, no result, unusable location). */
export class UdfDescriptorError extends Error {
  override readonly name = 'UdfDescriptorError';
  constructor(
    readonly serviceId: string,
    readonly problems: readonly string[],
  ) {
    super(`service ${serviceId} cannot serve as a UDF: ${problems.join('; ')}`);
  }
}
