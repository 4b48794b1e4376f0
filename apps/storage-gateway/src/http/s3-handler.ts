/**
 * One S3 request from start to end: target, signature, operation, decision(s), backend,
 * response — and every failure rendered as S3 XML by `errorXml` with its status from the
 * one table in s3/errors. A request line is logged for each (user, operation, status,
 * SAFAX transaction ids); unexpected errors are logged and answered InternalError.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { verifyRequest } from '../auth/sigv4';
import type { AccessKey } from '../auth/access-keys';
import type { Caller } from '../policy/access-request';
import { errorXml, S3Error } from '../s3/errors';
import { OperationContext } from '../s3/operation-context';
import type { GatewayServices } from '../s3/operation-context';
import { routeRequest } from '../s3/router';
import { parseTarget } from './request-target';
import type { RequestTarget } from './request-target';

export interface KeyLookup {
  find(accessKeyId: string): AccessKey | undefined;
}

export type S3RequestHandler = (req: IncomingMessage, res: ServerResponse, expectContinue?: boolean) => Promise<void>;

/**
 * After a refusal the connection can serve another request only once the body is read: an
 * untouched small one is drained; a large one, or one a failed check stopped midway, costs
 * the connection instead.
 */
function discardBody(req: IncomingMessage, res: ServerResponse, touched: boolean): void {
  if (req.complete) return;
  const len = Number(req.headers['content-length'] ?? NaN);
  if (!touched && Number.isFinite(len) && len <= 1024 * 1024) req.resume();
  else res.setHeader('connection', 'close');
}

export function createS3Handler(services: GatewayServices, keys: KeyLookup): S3RequestHandler {
  const { log } = services;
  return async (req, res, expectContinue = false) => {
    const started = process.hrtime.bigint();
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('server', 'SafaxStorageGateway');
    let target: RequestTarget | undefined;
    let ctx: OperationContext | undefined;
    let operation = 'unknown';
    let user: string | undefined;
    try {
      target = parseTarget(req.url ?? '/');
      const auth = await verifyRequest(
        { method: req.method ?? 'GET', rawPath: target.rawPath, query: target.query, headers: req.headers, headersDistinct: req.headersDistinct },
        { region: services.region, clockSkewMs: services.limits.clockSkewMs, findKey: (id) => keys.find(id) },
      );
      user = auth.key.user;
      const routed = routeRequest(req.method ?? 'GET', target, req.headers);
      operation = routed.name;
      const caller: Caller = {
        user: auth.key.user,
        groups: auth.key.groups,
        accessKeyId: auth.key.accessKeyId,
        sourceAddress: req.socket.remoteAddress ?? '',
        secure: (req.socket as TLSSocket).encrypted === true,
        presigned: auth.presigned,
      };
      ctx = new OperationContext(req, res, target, auth, caller, services, requestId, expectContinue);
      await routed.run(ctx);
    } catch (err) {
      const e = err instanceof S3Error ? err : undefined;
      if (!e) log.error({ event: 'internal-error', requestId, operation, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'request failed');
      const s3e = e ?? new S3Error('InternalError', 'We encountered an internal error. Please try again.');
      if (res.headersSent) {
        // Mid-body (a download that broke): all that is left is to cut the connection.
        res.destroy();
      } else {
        discardBody(req, res, ctx?.bodyConsumed === true);
        for (const [k, v] of Object.entries(s3e.headers)) res.setHeader(k, v);
        if (req.method === 'HEAD') {
          res.writeHead(s3e.status, { 'content-length': 0, 'x-amz-error-code': s3e.code });
          res.end();
        } else {
          const body = errorXml(s3e, target?.rawPath ?? '/', requestId);
          res.writeHead(s3e.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        }
      }
    } finally {
      log.info(
        {
          event: 'request',
          requestId,
          operation,
          user,
          bucket: target?.bucket,
          key: target?.key,
          status: res.statusCode,
          transactionIds: ctx?.transactionIds,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      );
    }
  };
}
