/**
 * HTTP transport on an undici keep-alive Pool (one per client and PDP origin).
 *
 * Whether a failed request may be sent again depends on whether any byte of it was written.
 * undici publishes `undici:client:sendHeaders` right before it writes the first byte of a
 * request (documented diagnostics channel); each call carries a unique X-Request-ID, and a
 * call whose id was never seen there certainly reached no server.
 */
import diagnostics from 'node:diagnostics_channel';
import { Pool } from 'undici';
import type { Transport, TransportRequest, TransportResponse } from './transport';
import { TransportError } from './transport';

export interface HttpTransportOptions {
  /** The PDP-URL, e.g. https://safax.example/pdp/9f…; paths are appended to it. */
  readonly pdpUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; omit for a public PDP. */
  readonly apiKey?: string;
  /** Most sockets kept open to the PDP (default 16). */
  readonly connections?: number;
  /** How long an idle socket is kept (default 30 s; the server's keep-alive hint wins when shorter). */
  readonly keepAliveTimeoutMs?: number;
  /** Answers larger than this are refused (default 1 MiB). */
  readonly maxResponseBytes?: number;
  /** Extra headers on every call (e.g. for a gateway in front of the PDP). */
  readonly headers?: Readonly<Record<string, string>>;
}

// Request ids in flight → whether their headers were written. Shared by all transports of
// the process (the channel is process-wide); ids are random UUIDs, so they do not collide.
const inFlight = new Map<string, boolean>();
const SEND_HEADERS = 'undici:client:sendHeaders';
const MARK = '\r\nx-request-id: ';
let subscribers = 0;

function onSendHeaders(message: unknown): void {
  if (inFlight.size === 0) return;
  const headers = (message as { headers?: unknown }).headers;
  if (typeof headers !== 'string') return;
  const at = headers.indexOf(MARK);
  if (at < 0) return;
  const start = at + MARK.length;
  const end = headers.indexOf('\r\n', start);
  const id = headers.slice(start, end < 0 ? undefined : end);
  if (inFlight.has(id)) inFlight.set(id, true);
}

function subscribe(): void {
  if (subscribers++ === 0) diagnostics.subscribe(SEND_HEADERS, onSendHeaders);
}

function unsubscribe(): void {
  if (--subscribers === 0) diagnostics.unsubscribe(SEND_HEADERS, onSendHeaders);
}

/** undici error codes that say the connection was never established. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const cause = (e as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== e ? codeOf(cause) : undefined;
}

export function createHttpTransport(options: HttpTransportOptions): Transport {
  const url = new URL(options.pdpUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`pdpUrl must be http or https, got ${url.protocol}`);
  const basePath = url.pathname.replace(/\/+$/, '');
  const maxBytes = options.maxResponseBytes ?? 1024 * 1024;
  const pool = new Pool(url.origin, {
    connections: options.connections ?? 16,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    // The call's deadline (an AbortSignal) bounds everything; these only keep undici from waiting on its own longer.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  const fixedHeaders: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.apiKey !== undefined) fixedHeaders.authorization = `Bearer ${options.apiKey}`;
  subscribe();
  let closed = false;

  return {
    async send(req: TransportRequest): Promise<TransportResponse> {
      if (closed) throw new TransportError('network', false, 'the transport is closed');
      inFlight.set(req.requestId, false);
      try {
        const res = await pool.request({
          method: 'POST',
          path: `${basePath}${req.path}${url.search}`,
          headers: { ...fixedHeaders, 'content-type': req.contentType, accept: req.accept, 'x-request-id': req.requestId },
          body: req.body,
          signal: req.signal,
        });
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(res.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        const declared = Number(headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          res.body.destroy();
          throw new TransportError('too-large', true, `the answer is ${declared} bytes; the limit is ${maxBytes}`);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of res.body) {
          const b = chunk as Buffer;
          size += b.length;
          if (size > maxBytes) {
            res.body.destroy();
            throw new TransportError('too-large', true, `the answer exceeds ${maxBytes} bytes`);
          }
          chunks.push(b);
        }
        return { status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') };
      } catch (e) {
        if (e instanceof TransportError) throw e;
        const sent = inFlight.get(req.requestId) === true;
        if (req.signal.aborted) throw new TransportError('aborted', sent, 'the call was aborted', { cause: e });
        const code = codeOf(e) ?? 'unknown';
        // A connection-level error before the headers were written: nothing reached a server.
        const safe = !sent && CONNECT_CODES.has(code);
        throw new TransportError('network', !safe, `${code}: ${(e as Error).message}`, { cause: e });
      } finally {
        inFlight.delete(req.requestId);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      unsubscribe();
      await pool.close();
    },
  };
}
