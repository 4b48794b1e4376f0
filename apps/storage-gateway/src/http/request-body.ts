/**
 * A request's body as the backend receives it: aws-chunked framing removed (chunk and trailer
 * signatures checked when the payload is signed), then every promise the client made about
 * it checked while it streams — its length, its SHA-256 (x-amz-content-sha256), Content-MD5,
 * and an x-amz-checksum-* header or trailer. The last piece is held back until all checks
 * pass, so a backend never receives a complete body that turns out to be wrong: the stream
 * fails instead, and nothing is stored.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { ChunkSigner, PayloadMode } from '../auth/sigv4';
import { S3Error } from '../s3/errors';

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** A running checksum with S3's encoding of the result (base64 of the big-endian value). */
interface Checksum {
  update(b: Buffer): void;
  base64(): string;
}

function checksumOf(algorithm: string): Checksum {
  switch (algorithm) {
    case 'crc32': {
      let v = 0;
      return { update: (b) => void (v = crc32(b, v)), base64: () => u32(v) };
    }
    case 'crc32c': {
      let v = 0xffffffff;
      return {
        update: (b) => {
          for (let i = 0; i < b.length; i++) v = CRC32C_TABLE[(v ^ b[i]!) & 0xff]! ^ (v >>> 8);
        },
        base64: () => u32((v ^ 0xffffffff) >>> 0),
      };
    }
    case 'sha1':
    case 'sha256': {
      const h = createHash(algorithm);
      return { update: (b) => void h.update(b), base64: () => h.digest('base64') };
    }
    default:
      throw new S3Error('InvalidRequest', `The ${algorithm} checksum algorithm is not supported (crc32, crc32c, sha1, sha256 are)`);
  }
}

function u32(v: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v >>> 0);
  return b.toString('base64');
}

const CHECKSUM_HEADER = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/;

/** Removes aws-chunked framing; verifies chunk and trailer signatures when given a signer. */
export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  private buf: Buffer = Buffer.alloc(0);
  private state: 'header' | 'data' | 'data-crlf' | 'final-crlf' | 'trailer' | 'done' = 'header';
  private remaining = 0;
  private chunkSignature: string | undefined;
  private previousSignature: string | undefined;
  private chunkHash: Hash | undefined;
  private trailerLines: string[] = [];

  constructor(
    private readonly signer: ChunkSigner | undefined,
    private readonly expectTrailer: boolean,
  ) {
    super();
    this.previousSignature = signer?.seedSignature;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.drain().then(() => done(), done);
  }

  override _flush(done: TransformCallback): void {
    this.drain()
      .then(() => {
        if (this.state !== 'done') throw new S3Error('IncompleteBody', 'The aws-chunked body ended before its final chunk');
        done();
      })
      .catch(done);
  }

  private malformed(m: string): S3Error {
    return new S3Error('InvalidRequest', `Malformed aws-chunked body: ${m}`);
  }

  private line(): string | undefined {
    const i = this.buf.indexOf('\r\n');
    if (i < 0) {
      if (this.buf.length > 4096) throw this.malformed('a chunk header or trailer line is longer than 4096 bytes');
      return undefined;
    }
    const l = this.buf.subarray(0, i).toString('latin1');
    this.buf = this.buf.subarray(i + 2);
    return l;
  }

  private async endChunk(): Promise<void> {
    if (!this.signer) return;
    const hash = this.chunkHash!.digest('hex');
    const expected = await this.signer.chunk(this.previousSignature!, hash);
    if (expected !== this.chunkSignature) throw new S3Error('SignatureDoesNotMatch', 'The chunk signature we calculated does not match the signature you provided.');
    this.previousSignature = expected;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.state === 'header') {
        const l = this.line();
        if (l === undefined) return;
        const m = /^([0-9a-fA-F]{1,16})(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(l);
        if (!m) throw this.malformed(`bad chunk header "${l.slice(0, 80)}"`);
        if (this.signer && m[2] === undefined) throw this.malformed('a chunk has no chunk-signature');
        this.remaining = parseInt(m[1]!, 16);
        this.chunkSignature = m[2];
        this.chunkHash = this.signer ? createHash('sha256') : undefined;
        if (this.remaining === 0) {
          await this.endChunk();
          this.state = this.expectTrailer ? 'trailer' : 'final-crlf';
        } else this.state = 'data';
      } else if (this.state === 'data') {
        if (this.buf.length === 0) return;
        const take = this.buf.subarray(0, Math.min(this.remaining, this.buf.length));
        this.buf = this.buf.subarray(take.length);
        this.remaining -= take.length;
        this.chunkHash?.update(take);
        this.push(take);
        if (this.remaining === 0) {
          await this.endChunk();
          this.state = 'data-crlf';
        }
      } else if (this.state === 'data-crlf' || this.state === 'final-crlf') {
        if (this.buf.length < 2) return;
        if (this.buf[0] !== 13 || this.buf[1] !== 10) throw this.malformed('a chunk is not followed by CRLF');
        this.buf = this.buf.subarray(2);
        this.state = this.state === 'data-crlf' ? 'header' : 'done';
      } else if (this.state === 'trailer') {
        const l = this.line();
        if (l === undefined) return;
        if (l === '') {
          await this.checkTrailerSignature();
          this.state = 'done';
          return;
        }
        const colon = l.indexOf(':');
        if (colon <= 0) throw this.malformed(`bad trailer "${l.slice(0, 80)}"`);
        const name = l.slice(0, colon).trim().toLowerCase();
        const value = l.slice(colon + 1).trim();
        if (name === 'x-amz-trailer-signature') this.trailers.set(name, value);
        else {
          this.trailers.set(name, value);
          this.trailerLines.push(`${name}:${value}\n`);
        }
      } else {
        if (this.buf.length > 0) throw this.malformed('data after the final chunk');
        return;
      }
    }
  }

  private async checkTrailerSignature(): Promise<void> {
    if (!this.signer) return;
    const sig = this.trailers.get('x-amz-trailer-signature');
    if (sig === undefined) throw this.malformed('the trailer has no x-amz-trailer-signature');
    const hash = createHash('sha256').update(this.trailerLines.join('')).digest('hex');
    const expected = await this.signer.trailer(this.previousSignature!, hash);
    if (expected !== sig) throw new S3Error('SignatureDoesNotMatch', 'The trailer signature we calculated does not match the signature you provided.');
  }
}

export interface BodyExpectations {
  readonly size: number;
  readonly sha256?: string;
  readonly md5Base64?: string;
  readonly checksum?: { readonly algorithm: string; readonly value?: string; readonly fromTrailer?: () => string | undefined };
}

/** Checks size and digests; holds the last piece back until they pass. */
export class BodyVerifier extends Transform {
  private seen = 0;
  private held: Buffer | undefined;
  private readonly sha256: Hash | undefined;
  private readonly md5: Hash | undefined;
  private readonly checksum: Checksum | undefined;

  constructor(private readonly expect: BodyExpectations) {
    super();
    this.sha256 = expect.sha256 !== undefined ? createHash('sha256') : undefined;
    this.md5 = expect.md5Base64 !== undefined ? createHash('md5') : undefined;
    this.checksum = expect.checksum ? checksumOf(expect.checksum.algorithm) : undefined;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.expect.size) return done(new S3Error('IncompleteBody', `The body is longer than the ${this.expect.size} bytes announced`));
    this.sha256?.update(chunk);
    this.md5?.update(chunk);
    this.checksum?.update(chunk);
    const out = this.held;
    this.held = chunk;
    done(null, out);
  }

  override _flush(done: TransformCallback): void {
    if (this.seen !== this.expect.size) return done(new S3Error('IncompleteBody', `You did not provide the number of bytes specified by the Content-Length HTTP header (${this.seen} of ${this.expect.size})`));
    if (this.sha256 && this.sha256.digest('hex') !== this.expect.sha256) return done(new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed."));
    if (this.md5 && this.md5.digest('base64') !== this.expect.md5Base64) return done(new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.'));
    if (this.checksum) {
      const c = this.expect.checksum!;
      const want = c.value ?? c.fromTrailer?.();
      if (want === undefined) return done(new S3Error('InvalidRequest', `The x-amz-checksum-${c.algorithm} trailer is missing`));
      if (this.checksum.base64() !== want) return done(new S3Error('BadDigest', `The ${c.algorithm.toUpperCase()} you specified did not match the calculated checksum.`));
    }
    if (this.held) this.push(this.held);
    done();
  }
}

export interface BodyOptions {
  readonly payload: PayloadMode;
  readonly maxBytes: number;
}

/** The announced length of the decoded body; MissingContentLength when there is none. */
export function announcedSize(req: IncomingMessage, payload: PayloadMode): number {
  const header = payload.kind === 'chunked' ? req.headers['x-amz-decoded-content-length'] : req.headers['content-length'];
  const raw = header === undefined ? undefined : String(header);
  if (raw === undefined) {
    if (payload.kind === 'chunked') throw new S3Error('MissingContentLength', 'An aws-chunked body needs the x-amz-decoded-content-length header');
    if (req.headers['transfer-encoding'] !== undefined) throw new S3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.');
    return 0;
  }
  if (!/^\d{1,16}$/.test(raw)) throw new S3Error('InvalidArgument', 'The Content-Length is not a number');
  return Number(raw);
}

/** The request body, decoded and verified, and its exact length. */
export function requestBody(req: IncomingMessage, options: BodyOptions): { stream: Readable; size: number } {
  const { payload } = options;
  const size = announcedSize(req, payload);
  if (size > options.maxBytes) throw new S3Error('EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size (${options.maxBytes} bytes)`);
  const encoding = String(req.headers['content-encoding'] ?? '');
  const chunked = payload.kind === 'chunked';
  const awsChunked = encoding.split(',').map((s) => s.trim()).includes('aws-chunked');
  if (chunked !== awsChunked) throw new S3Error('InvalidRequest', 'Content-Encoding: aws-chunked goes with a STREAMING-* x-amz-content-sha256, and only with it');
  const md5Header = req.headers['content-md5'];
  const md5 = md5Header === undefined ? undefined : String(md5Header);
  if (md5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw new S3Error('InvalidDigest', 'The Content-MD5 you specified is not valid.');

  const headerChecksums = Object.keys(req.headers).filter((h) => CHECKSUM_HEADER.test(h));
  if (headerChecksums.length > 1) throw new S3Error('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const trailerName = chunked && payload.trailer ? String(req.headers['x-amz-trailer'] ?? '').trim().toLowerCase() : '';
  if (trailerName !== '' && !CHECKSUM_HEADER.test(trailerName)) throw new S3Error('InvalidRequest', `The trailer ${trailerName} is not an x-amz-checksum-* trailer`);

  const decoder = chunked ? new AwsChunkedDecoder(payload.chunkSigner, payload.trailer) : undefined;
  let checksum: BodyExpectations['checksum'];
  if (headerChecksums.length === 1) {
    const name = headerChecksums[0]!;
    checksum = { algorithm: name.slice('x-amz-checksum-'.length), value: String(req.headers[name]) };
  } else if (trailerName !== '') {
    checksum = { algorithm: trailerName.slice('x-amz-checksum-'.length), fromTrailer: () => decoder!.trailers.get(trailerName) };
  }
  const verifier = new BodyVerifier({
    size,
    ...(payload.kind === 'sha256' ? { sha256: payload.sha256 } : {}),
    ...(md5 !== undefined ? { md5Base64: md5 } : {}),
    ...(checksum ? { checksum } : {}),
  });
  // The checks may fail before the backend starts reading: the error is kept on the stream
  // (stream.errored) for its consumer, not raised as an unhandled event.
  verifier.on('error', () => undefined);
  // Errors travel down the chain so the consumer (the backend's pipeline) sees them.
  const forward = (from: NodeJS.EventEmitter, to: Transform) => from.on('error', (e: Error) => to.destroy(e));
  if (decoder) {
    forward(req, decoder);
    forward(decoder, verifier);
    req.pipe(decoder).pipe(verifier);
  } else {
    forward(req, verifier);
    req.pipe(verifier);
  }
  req.on('aborted', () => verifier.destroy(new S3Error('IncompleteBody', 'The client closed the connection before the body was complete')));
  return { stream: verifier, size };
}

/** A small body (XML), verified like any other, refused beyond `maxBytes` (before any of it is read). */
export function checkSmallBodySize(req: IncomingMessage, options: BodyOptions): void {
  if (announcedSize(req, options.payload) > options.maxBytes) {
    throw new S3Error('MaxMessageLengthExceeded', `The request body is too large: at most ${options.maxBytes} bytes are accepted here`);
  }
}

export async function readSmallBody(req: IncomingMessage, options: BodyOptions): Promise<Buffer> {
  const { stream } = requestBody(req, { ...options, maxBytes: options.maxBytes });
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}
