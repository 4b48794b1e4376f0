/**
 * One codec per wire format: how requests are written and answers read. Pure (no IO); the
 * client sends what `encode*` returns to `pdpUrl + path`.
 */
import type { PdpAnswer } from '../decision';
import type { NormalRequest, PepRequest } from '../request';

export type PdpFormat = 'authzen' | 'xacml-json' | 'xacml-xml';
export const PDP_FORMATS: readonly PdpFormat[] = ['authzen', 'xacml-json', 'xacml-xml'];

export interface Outgoing {
  /** Appended to the PDP-URL ('' for the XACML endpoint itself). */
  readonly path: string;
  readonly contentType: string;
  readonly accept: string;
  readonly body: string;
}

export interface PreparedRequest {
  readonly request: PepRequest;
  readonly normal: NormalRequest;
}

export interface Codec {
  readonly format: PdpFormat;
  /** Throws InvalidRequestError when the format cannot carry the request. */
  check(p: PreparedRequest): void;
  encodeOne(p: PreparedRequest): Outgoing;
  encodeMany(ps: readonly PreparedRequest[]): Outgoing;
  /** Throws MalformedResponseError when the answer cannot be read. */
  decodeOne(body: string, contentType: string | undefined): PdpAnswer;
  /** Exactly `count` answers, in request order, or MalformedResponseError. */
  decodeMany(body: string, contentType: string | undefined, count: number): PdpAnswer[];
  /** The decision log id of item `index` of a batch answered under `transactionId`. */
  itemTransactionId(transactionId: string, index: number): string;
}

/** An answer that cannot be read. */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
}

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function expectMediaType(contentType: string | undefined, allowed: readonly string[]): void {
  const type = mediaTypeOf(contentType);
  if (!allowed.includes(type)) throw new MalformedResponseError(`the PDP answered with media type "${type || 'none'}"; expected ${allowed.join(' or ')}`);
}
