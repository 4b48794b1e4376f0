/**
 * AWS Signature Version 4 verification, headers and presigned URLs. The signature is never
 * parsed for meaning: the request is rebuilt as the client must have signed it (canonical
 * path, decoded query, exactly the headers it says it signed) and signed again with the
 * Smithy signer — the one the AWS SDKs sign with — under the caller's secret; the two
 * signatures are compared in constant time. What the signature covers of the body
 * (`x-amz-content-sha256`) is returned as a PayloadMode for the body reader to enforce.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { S3Error } from '../s3/errors';
import type { AccessKey } from './access-keys';

/** What the signature says about the body. */
export type PayloadMode =
  | { readonly kind: 'sha256'; readonly sha256: string }
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'chunked'; readonly trailer: boolean; readonly chunkSigner?: ChunkSigner };

/** Signs aws-chunked chunks and trailers in the chain that starts at the request's signature. */
export interface ChunkSigner {
  readonly seedSignature: string;
  chunk(previousSignature: string, chunkSha256Hex: string): Promise<string>;
  trailer(previousSignature: string, trailerSha256Hex: string): Promise<string>;
}

export interface Authenticated {
  readonly key: AccessKey;
  readonly payload: PayloadMode;
  readonly presigned: boolean;
}

export interface SignedRequestView {
  readonly method: string;
  /** The path exactly as received (still percent-encoded). */
  readonly rawPath: string;
  /** Decoded query parameters in order of appearance. */
  readonly query: readonly (readonly [string, string])[];
  readonly headers: IncomingHttpHeaders;
  /** Header values as received, one entry per occurrence. */
  readonly headersDistinct: NodeJS.Dict<string[]>;
}

export interface VerifyOptions {
  readonly region: string;
  readonly clockSkewMs: number;
  readonly now?: Date;
  findKey(accessKeyId: string): AccessKey | undefined;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const LONG_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

/** The hash the Smithy signer expects, on node:crypto (HMAC when given a secret). */
export class NodeSha256 {
  private readonly h;
  constructor(secret?: string | Uint8Array | ArrayBuffer | ArrayBufferView) {
    if (secret === undefined) this.h = createHash('sha256');
    else this.h = createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(ArrayBuffer.isView(secret) ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength) : new Uint8Array(secret)));
  }
  update(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    this.h.update(typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset(): void {
    throw new Error('not resettable');
  }
}

function parseLongDate(s: string | undefined): Date | undefined {
  const m = s === undefined ? null : LONG_DATE.exec(s);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** RFC 3986 unreserved characters stay; everything else is %XX (upper case), as SigV4 wants. */
export function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical URI of an S3 request: each segment decoded and encoded once. */
export function canonicalPath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((seg) => {
      try {
        return escapeUri(decodeURIComponent(seg));
      } catch {
        throw new S3Error('InvalidURI', 'Could not parse the specified URI.');
      }
    })
    .join('/');
}

function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

interface Credential {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
}

function parseCredential(value: string, malformed: (m: string) => S3Error, options: VerifyOptions): Credential {
  const parts = value.split('/');
  if (parts.length !== 5) throw malformed(`the Credential "${value}" is not <access key id>/<date>/<region>/s3/aws4_request`);
  const [accessKeyId, date, region, service, terminal] = parts as [string, string, string, string, string];
  if (!/^\d{8}$/.test(date)) throw malformed(`the credential date "${date}" is not YYYYMMDD`);
  if (service !== 's3') throw malformed(`the credential service "${service}" is wrong; expecting "s3"`);
  if (terminal !== 'aws4_request') throw malformed(`the credential terminator "${terminal}" is wrong; expecting "aws4_request"`);
  if (region !== options.region) throw malformed(`the region '${region}' is wrong; expecting '${options.region}'`);
  return { accessKeyId, date, region };
}

function payloadModeOf(header: string | undefined, signer: ChunkSignerFactory): PayloadMode {
  if (header === undefined) throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  if (/^[0-9a-f]{64}$/.test(header)) return { kind: 'sha256', sha256: header };
  switch (header) {
    case 'UNSIGNED-PAYLOAD':
      return { kind: 'unsigned' };
    case 'STREAMING-UNSIGNED-PAYLOAD-TRAILER':
      return { kind: 'chunked', trailer: true };
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD':
      return { kind: 'chunked', trailer: false, chunkSigner: signer() };
    case 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER':
      return { kind: 'chunked', trailer: true, chunkSigner: signer() };
    case 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD':
    case 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER':
      throw new S3Error('NotImplemented', 'SigV4a (ECDSA) signed payloads are not supported');
    default:
      throw new S3Error('InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] or a SHA-256 in lower-case hex');
  }
}

type ChunkSignerFactory = () => ChunkSigner;

function headerValue(req: SignedRequestView, name: string): string | undefined {
  const all = req.headersDistinct[name];
  return all === undefined ? undefined : all.join(',');
}

export async function verifyRequest(req: SignedRequestView, options: VerifyOptions): Promise<Authenticated> {
  const auth = req.headers.authorization;
  const presignedAlgorithm = req.query.find(([k]) => k === 'X-Amz-Algorithm');
  if (auth !== undefined && presignedAlgorithm !== undefined) throw new S3Error('InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified');
  if (auth !== undefined) return verifyHeaderSignature(req, auth, options);
  if (presignedAlgorithm !== undefined) return verifyPresigned(req, options);
  throw new S3Error('AccessDenied', 'Anonymous access is not allowed: sign the request with AWS Signature Version 4');
}

function signerFor(key: AccessKey, region: string): SignatureV4 {
  return new SignatureV4({ credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }, region, service: 's3', sha256: NodeSha256, uriEscapePath: false, applyChecksum: false });
}

function lookup(options: VerifyOptions, accessKeyId: string): AccessKey {
  const key = options.findKey(accessKeyId);
  if (!key) throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  return key;
}

async function verifyHeaderSignature(req: SignedRequestView, auth: string, options: VerifyOptions): Promise<Authenticated> {
  const malformed = (m: string) => new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${m}`);
  if (!auth.startsWith('AWS4-HMAC-SHA256 ')) throw new S3Error('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
  const fields = new Map<string, string>();
  for (const part of auth.slice('AWS4-HMAC-SHA256 '.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw malformed(`"${part.trim()}" is not name=value`);
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) throw malformed('it needs Credential, SignedHeaders and Signature');
  if (!/^[0-9a-f]{64}$/.test(signature)) throw malformed('the Signature is not 64 lower-case hex digits');
  const cred = parseCredential(credential, malformed, options);
  const key = lookup(options, cred.accessKeyId);

  const amzDate = headerValue(req, 'x-amz-date');
  const signingDate = parseLongDate(amzDate);
  if (!signingDate) throw new S3Error('AccessDenied', 'AWS authentication requires a valid x-amz-date header (YYYYMMDDTHHMMSSZ)');
  if (amzDate!.slice(0, 8) !== cred.date) throw malformed('the credential date is not the date of x-amz-date');
  const now = options.now ?? new Date();
  if (Math.abs(now.getTime() - signingDate.getTime()) > options.clockSkewMs) throw new S3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');

  const signed = signedHeaders.split(';');
  if (signed.some((h) => h !== h.toLowerCase() || h === '')) throw malformed('SignedHeaders must be lower-case names separated by ";"');
  if (!signed.includes('host')) throw malformed('the host header must be signed');
  const contentSha = headerValue(req, 'x-amz-content-sha256');
  const headers: Record<string, string> = {};
  for (const h of signed) {
    const v = headerValue(req, h);
    if (v !== undefined) headers[h] = v;
  }
  // The payload hash enters the canonical request even when the header itself is not signed.
  const unsignable = new Set<string>();
  if (contentSha !== undefined && !signed.includes('x-amz-content-sha256')) {
    headers['x-amz-content-sha256'] = contentSha;
    unsignable.add('x-amz-content-sha256');
  }
  const signer = signerFor(key, cred.region);
  const expected = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: headers.host ?? '', path: canonicalPath(req.rawPath), query: queryObject(req.query), headers },
    { signingDate, signableHeaders: new Set(signed), unsignableHeaders: unsignable, signingRegion: cred.region, signingService: 's3' },
  );
  const got = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization))?.[1] ?? '';
  if (!equalHex(got, signature)) throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');

  const scope = `${cred.date}/${cred.region}/s3/aws4_request`;
  const chunkSigner: ChunkSignerFactory = () => ({
    seedSignature: signature,
    chunk: (previous, hash) => signer.sign(['AWS4-HMAC-SHA256-PAYLOAD', amzDate!, scope, previous, EMPTY_SHA256, hash].join('\n'), { signingDate, signingRegion: cred.region }),
    trailer: (previous, hash) => signer.sign(['AWS4-HMAC-SHA256-TRAILER', amzDate!, scope, previous, hash].join('\n'), { signingDate, signingRegion: cred.region }),
  });
  return { key, payload: payloadModeOf(contentSha, chunkSigner), presigned: false };
}

function queryObject(query: readonly (readonly [string, string])[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of query) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

async function verifyPresigned(req: SignedRequestView, options: VerifyOptions): Promise<Authenticated> {
  const bad = (m: string) => new S3Error('AuthorizationQueryParametersError', m);
  const q = new Map<string, string>();
  for (const [k, v] of req.query) {
    if (k.startsWith('X-Amz-') && q.has(k)) throw bad(`${k} is given twice`);
    q.set(k, v);
  }
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw bad('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const credential = q.get('X-Amz-Credential');
  const amzDate = q.get('X-Amz-Date');
  const expires = q.get('X-Amz-Expires');
  const signedHeaders = q.get('X-Amz-SignedHeaders');
  const signature = q.get('X-Amz-Signature');
  if (credential === undefined || amzDate === undefined || expires === undefined || signedHeaders === undefined || signature === undefined) {
    throw bad('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  if (!/^[0-9a-f]{64}$/.test(signature)) throw bad('X-Amz-Signature is not 64 lower-case hex digits');
  const cred = parseCredential(credential, (m) => bad(`Error parsing the X-Amz-Credential parameter; ${m}`), options);
  const key = lookup(options, cred.accessKeyId);
  const signingDate = parseLongDate(amzDate);
  if (!signingDate) throw bad('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  if (amzDate.slice(0, 8) !== cred.date) throw bad('Invalid credential date. Date is not the same as X-Amz-Date.');
  if (!/^\d{1,6}$/.test(expires) || +expires < 1 || +expires > MAX_PRESIGNED_SECONDS) throw bad('X-Amz-Expires must be between 1 and 604800 seconds');
  const signed = signedHeaders.split(';');
  if (!signed.includes('host')) throw bad('the host header must be signed');

  const headers: Record<string, string> = {};
  for (const h of signed) {
    const v = headerValue(req, h);
    if (v !== undefined) headers[h] = v;
  }
  // Presigned S3 URLs never cover the body: the canonical request ends in UNSIGNED-PAYLOAD.
  headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  const signer = signerFor(key, cred.region);
  let presigned;
  try {
    presigned = await signer.presign(
      { method: req.method, protocol: 'http:', hostname: headers.host ?? '', path: canonicalPath(req.rawPath), query: queryObject(req.query.filter(([k]) => k !== 'X-Amz-Signature')), headers },
      {
        signingDate,
        expiresIn: +expires,
        signableHeaders: new Set(signed),
        unsignableHeaders: signed.includes('x-amz-content-sha256') ? new Set() : new Set(['x-amz-content-sha256']),
        unhoistableHeaders: new Set([...signed, 'x-amz-content-sha256']),
        signingRegion: cred.region,
        signingService: 's3',
      },
    );
  } catch (e) {
    throw bad(String(e));
  }
  const got = String(presigned.query?.['X-Amz-Signature'] ?? '');
  if (!equalHex(got, signature)) throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  // Checked after the signature, so that only the key's holder learns about the URL's validity.
  const now = options.now ?? new Date();
  if (signingDate.getTime() - now.getTime() > options.clockSkewMs) throw new S3Error('AccessDenied', 'Request is not valid yet');
  if (now.getTime() > signingDate.getTime() + +expires * 1000) throw new S3Error('AccessDenied', 'Request has expired');
  return { key, payload: { kind: 'unsigned' }, presigned: true };
}
