/**
 * What every S3 operation handler gets: the request, its authenticated caller, the backend
 * and the authorizer, and the helpers that turn a Deny into AccessDenied (with the SAFAX
 * transaction id in the message and a header) and write S3 responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Authenticated } from '../auth/sigv4';
import type { RequestTarget } from '../http/request-target';
import { checkSmallBodySize, readSmallBody, requestBody } from '../http/request-body';
import type { Logger } from '../ops/logger';
import type { AccessRequest, Caller } from '../policy/access-request';
import type { Authorizer, Verdict } from '../policy/authorizer';
import { TRANSACTION_HEADER } from '../policy/vocabulary';
import type { StorageBackend } from '../storage/backend';
import { checkObjectKey } from '../storage/names';
import { S3Error } from './errors';
import { toXml } from './xml';

export interface GatewayLimits {
  readonly maxObjectBytes: number;
  readonly maxXmlBytes: number;
  readonly clockSkewMs: number;
  readonly maxListScan: number;
}

export interface GatewayServices {
  readonly backend: StorageBackend;
  readonly authorizer: Authorizer;
  readonly log: Logger;
  readonly region: string;
  readonly limits: GatewayLimits;
}

export class OperationContext {
  /** SAFAX transaction ids of the decisions made for this request (logged). */
  readonly transactionIds: string[] = [];
  bodyConsumed = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly target: RequestTarget,
    readonly auth: Authenticated,
    readonly caller: Caller,
    readonly services: GatewayServices,
    readonly requestId: string,
    private readonly expectContinue: boolean,
  ) {}

  get bucket(): string {
    return this.target.bucket!;
  }

  get key(): string {
    return this.target.key!;
  }

  /** InvalidArgument etc. for a key the gateway does not store (see storage/names). */
  checkKey(key: string): void {
    checkObjectKey(key, this.services.backend.reservedPrefix);
  }

  private note(v: Verdict): void {
    if (v.transactionId !== undefined) this.transactionIds.push(v.transactionId);
  }

  static denied(v: Verdict & { allowed: false }): S3Error {
    const tx = v.transactionId;
    return new S3Error('AccessDenied', `Access Denied: ${v.reason}${tx !== undefined ? ` (SAFAX transaction ${tx})` : ''}`, tx !== undefined ? { [TRANSACTION_HEADER]: tx } : {});
  }

  /** One decision; AccessDenied unless permitted. The obligation headers are set on the response. */
  async authorize(request: AccessRequest): Promise<void> {
    const v = await this.services.authorizer.decide(this.caller, request);
    this.note(v);
    if (!v.allowed) throw OperationContext.denied(v);
    this.applyVerdictHeaders(v);
  }

  /** Many decisions in one round trip; the caller decides what a Deny means for each. */
  async authorizeMany(requests: readonly AccessRequest[]): Promise<Verdict[]> {
    const vs = await this.services.authorizer.decideMany(this.caller, requests);
    for (const v of vs) this.note(v);
    return vs;
  }

  applyVerdictHeaders(v: Verdict & { allowed: true }): void {
    if (v.transactionId !== undefined && !this.res.hasHeader(TRANSACTION_HEADER)) this.res.setHeader(TRANSACTION_HEADER, v.transactionId);
    for (const [k, val] of Object.entries(v.headers)) this.res.setHeader(k, val);
  }

  private startBody(): void {
    this.bodyConsumed = true;
    // Only now, decided and checked, does the client get to send the body.
    if (this.expectContinue) this.res.writeContinue();
  }

  /** The body, streaming and verified. */
  body(): { stream: Readable; size: number } {
    const b = requestBody(this.req, { payload: this.auth.payload, maxBytes: this.services.limits.maxObjectBytes });
    this.startBody();
    return b;
  }

  async smallBody(): Promise<Buffer> {
    const options = { payload: this.auth.payload, maxBytes: this.services.limits.maxXmlBytes };
    checkSmallBodySize(this.req, options);
    this.startBody();
    return readSmallBody(this.req, options);
  }

  sendXml(status: number, root: string, body: Record<string, unknown>): void {
    const xml = toXml(root, body);
    this.res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
    this.res.end(xml);
  }

  sendEmpty(status: number, headers: Record<string, string | number> = {}): void {
    this.res.writeHead(status, { ...headers, 'content-length': 0 });
    this.res.end();
  }
}

export const iso = (d: Date): string => d.toISOString();
export const quoted = (etag: string): string => `"${etag}"`;
