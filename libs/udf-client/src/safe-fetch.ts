/**
 * The one way this package talks to the network: an HTTP(S) exchange that honours an
 * OutboundPolicy at every hop, with a deadline and a bound on the response size.
 *
 * - IP-literal hosts are judged before connecting; host names are judged inside the DNS
 *   lookup that the connection itself uses, so there is no window for DNS rebinding.
 * - Redirects are followed by hand (bounded), and each hop is judged afresh.
 * - The body is streamed and the exchange is cut as soon as it exceeds the bound.
 * Failures are OutboundError values with a stable code; HTTP error statuses are not failures
 * here (the caller decides what a 500 means).
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { bareHost, checkAddress, checkUrlShape, hostRule, type OutboundPolicy } from './outbound-policy';

export type OutboundErrorCode = 'refused' | 'timeout' | 'too-large' | 'network' | 'too-many-redirects' | 'aborted';

export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SafeRequest {
  readonly url: string;
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Deadline for the whole exchange, redirects and body included. */
  readonly timeoutMs: number;
  /** Largest response body accepted, in bytes. */
  readonly maxResponseBytes: number;
  /** Redirects followed (default 3); one more is an error. */
  readonly maxRedirects?: number;
  /** Cancels the exchange (e.g. the caller's own deadline). */
  readonly signal?: AbortSignal;
}

export interface SafeResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** The URL that answered (after redirects). */
  readonly url: string;
  readonly redirects: number;
}

export interface SafeFetcher {
  readonly policy: OutboundPolicy;
  fetch(request: SafeRequest): Promise<SafeResponse>;
  /** Closes pooled connections. */
  close(): void;
}

export interface SafeFetcherOptions {
  /** Reuse connections (default true). */
  readonly keepAlive?: boolean;
  /** Sockets per host (default 32). */
  readonly maxSockets?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HOP_HEADERS_DROPPED_CROSS_ORIGIN = ['authorization', 'cookie', 'proxy-authorization', 'x-api-key'];

/** A DNS lookup for `net.connect` that answers only with addresses the policy allows. */
function policyLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    const rule = hostRule(hostname, policy);
    if (rule === 'deny') {
      callback(new OutboundError('refused', `host ${hostname} is on the deny-list`), '', 4);
      return;
    }
    policy.resolve(hostname).then(
      (found) => {
        const wanted = options.family === 4 || options.family === 6 ? found.filter((a) => a.family === options.family) : found;
        if (wanted.length === 0) {
          callback(Object.assign(new OutboundError('network', `host ${hostname} has no usable address`), { code: 'ENOTFOUND' }), '', 4);
          return;
        }
        if (rule === 'check') {
          for (const a of wanted) {
            const v = checkAddress(a.address, policy);
            if (!v.ok) {
              callback(new OutboundError('refused', `host ${hostname} resolves to a refused address: ${v.reason}`), '', 4);
              return;
            }
          }
        }
        if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, wanted.map((a) => ({ address: a.address, family: a.family })));
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (e: unknown) => callback(Object.assign(new OutboundError('network', `host ${hostname} does not resolve`), { code: (e as { code?: string }).code ?? 'ENOTFOUND' }), '', 4),
    );
  };
}

export function createSafeFetcher(policy: OutboundPolicy, options: SafeFetcherOptions = {}): SafeFetcher {
  const agentOptions = { keepAlive: options.keepAlive ?? true, maxSockets: options.maxSockets ?? 32, lookup: policyLookup(policy) };
  // Own agents: a pooled socket is only ever one this policy's lookup opened.
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);

  async function fetch(request: SafeRequest): Promise<SafeResponse> {
    const maxRedirects = request.maxRedirects ?? 3;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, request.timeoutMs);
    const onOuterAbort = (): void => controller.abort();
    request.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (request.signal?.aborted) controller.abort();

    let url = request.url;
    let method = request.method.toUpperCase();
    let body = request.body;
    let headers: Record<string, string> = { ...(request.headers ?? {}) };
    try {
      for (let hop = 0; ; hop++) {
        const target = checkTarget(url, policy);
        const res = await exchange(target, method, headers, body, request.maxResponseBytes, controller.signal, hop < maxRedirects);
        if (res.redirectTo === undefined) return { status: res.status, headers: res.headers, body: res.body, url, redirects: hop };
        if (hop >= maxRedirects) throw new OutboundError('too-many-redirects', `more than ${maxRedirects} redirects`);
        const next = new URL(res.redirectTo, url);
        if (next.origin !== target.origin) {
          headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP_HEADERS_DROPPED_CROSS_ORIGIN.includes(k.toLowerCase())));
        }
        // As browsers do: 303 always, and 301/302 after a POST, continue as a GET without body.
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !['content-type', 'content-length'].includes(k.toLowerCase())));
        }
        url = next.toString();
      }
    } catch (e) {
      if (e instanceof OutboundError) throw e;
      if (timedOut) throw new OutboundError('timeout', `no complete answer within ${request.timeoutMs} ms`);
      if (controller.signal.aborted) throw new OutboundError('aborted', 'the call was cancelled');
      const code = (e as { code?: string }).code;
      throw new OutboundError('network', `${code ?? 'connection failed'}${(e as Error).message && !(e as Error).message.includes(code ?? '\u0000') ? `: ${(e as Error).message}` : ''}`);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  interface Target {
    readonly url: URL;
    readonly origin: string;
  }

  function checkTarget(url: string, p: OutboundPolicy): Target {
    const shape = checkUrlShape(url, p);
    if (!shape.ok) throw new OutboundError('refused', `${url}: ${shape.reason}`);
    const host = bareHost(shape.url.hostname);
    // Node connects to an IP literal without a lookup: judge it here.
    if (ipaddr.isValid(host)) {
      const v = checkAddress(host, p);
      if (!v.ok) throw new OutboundError('refused', v.reason);
    } else if (hostRule(host, p) === 'deny') {
      throw new OutboundError('refused', `host ${host} is on the deny-list`);
    }
    return { url: shape.url, origin: shape.url.origin };
  }

  interface Exchanged {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: Buffer;
    readonly redirectTo?: string;
  }

  function exchange(
    target: Target,
    method: string,
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    maxBytes: number,
    signal: AbortSignal,
    mayRedirect: boolean,
  ): Promise<Exchanged> {
    return new Promise<Exchanged>((resolve, reject) => {
      const isHttps = target.url.protocol === 'https:';
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      const reqHeaders: Record<string, string> = { 'user-agent': 'safax-udf-client/0.1', ...headers };
      if (payload !== undefined) reqHeaders['content-length'] = String(payload.length);
      const req = (isHttps ? https : http).request(target.url, {
        method,
        headers: reqHeaders,
        agent: isHttps ? httpsAgent : httpAgent,
        lookup: agentOptions.lookup,
        signal,
      });
      let settled = false;
      const fail = (e: unknown): void => {
        if (settled) return;
        settled = true;
        reject(e);
      };
      req.on('error', fail);
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (REDIRECTS.has(status) && location !== undefined && mayRedirect) {
          res.destroy();
          settled = true;
          resolve({ status, headers: res.headers, body: Buffer.alloc(0), redirectTo: location });
          return;
        }
        if (REDIRECTS.has(status) && location !== undefined && !mayRedirect) {
          fail(new OutboundError('too-many-redirects', `redirected again (to ${location}) after the last allowed redirect`));
          res.destroy();
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          fail(new OutboundError('too-large', `the response declares ${declared} bytes; the limit is ${maxBytes}`));
          res.destroy();
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            // Settle first: destroying emits events that would otherwise win the race.
            fail(new OutboundError('too-large', `the response exceeds ${maxBytes} bytes`));
            res.destroy();
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('aborted', () => fail(new OutboundError('network', 'the connection closed before the response was complete')));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ status, headers: res.headers, body: Buffer.concat(chunks, size) });
        });
      });
      req.end(payload);
    });
  }

  return {
    policy,
    fetch,
    close(): void {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** One exchange without connection reuse (convenience for one-off checks). */
export async function safeFetch(request: SafeRequest, policy: OutboundPolicy): Promise<SafeResponse> {
  const f = createSafeFetcher(policy, { keepAlive: false });
  try {
    return await f.fetch(request);
  } finally {
    f.close();
  }
}
