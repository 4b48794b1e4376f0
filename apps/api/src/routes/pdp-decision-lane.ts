/**
 * The PDP-URL's decision calls, served straight from node's HTTP server: POST /pdp/{pdpId}
 * (XACML XML or JSON Profile) and POST /pdp/{pdpId}/access/v1/evaluation (AuthZEN). Express's
 * entry alone (its request/response prototypes, the router's walk over every route module,
 * body-parser) costs more per call than deciding does; a PEP pays it on every decision.
 *
 * The lane takes only the plain case, judged on the request line and headers before anything
 * is read: a well-formed PDP id with no query, a supported media type in UTF-8, no content
 * coding, a Content-Length within the body limit. Everything else (and every other route)
 * goes to the express app, which answers unusual requests as it always did. For what it
 * takes, the lane does what the express route does, in the same order, with the same shared
 * pieces: authentication, the transaction id, the self-protection check, the body's hygiene,
 * the evaluation and log, and the one error mapping. It sets no ETag: a decision answers a
 * POST, which no cache revalidates.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AppDeps } from '../app-deps';
import { actorFromHeader } from '../auth/authenticate';
import { ApiError } from '../errors/api-error';
import { errorAnswer } from '../errors/error-handler';
import { authzenEvaluationSchema, parseEvaluation } from '../pdp/authzen-mapping';
import type { AccessCheck } from '../pep/guard';
import { checkBody } from '../server/input-hygiene';
import { evaluateAuthzen } from '../services/decisions/evaluate-authzen';
import { evaluateXacml } from '../services/decisions/evaluate-xacml';
import type { XacmlFormat } from '../services/decisions/evaluate-xacml';
import { newTransaction, pdpEntry, requireDocument, XACML_JSON_TYPES, XACML_XML_TYPES } from './pdp-routes';

type LaneDeps = Pick<AppDeps, 'config' | 'decisionLog' | 'log' | 'metrics' | 'pdps' | 'repos'>;

type Call = { readonly pdpId: string } & ({ readonly kind: 'xacml'; readonly format: XacmlFormat } | { readonly kind: 'authzen' });

// Ids as the platform issues them; anything else (percent-encoding, dots) is express's to judge.
const PATH = /^\/pdp\/([A-Za-z0-9_-]{1,128})(\/access\/v1\/evaluation)?$/;
const XML_TYPES: ReadonlySet<string> = new Set(XACML_XML_TYPES);
const JSON_TYPES: ReadonlySet<string> = new Set(XACML_JSON_TYPES);
const UTF8_CHARSET = /^\s*charset\s*=\s*"?utf-8"?\s*$/i;

/** The media type of a Content-Type that is plain or says UTF-8, lower-cased; undefined otherwise. */
function utf8MediaType(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const semi = header.indexOf(';');
  if (semi < 0) return header.trim().toLowerCase();
  const rest = header.slice(semi + 1);
  if (rest.includes(';') || !UTF8_CHARSET.test(rest)) return undefined;
  return header.slice(0, semi).trim().toLowerCase();
}

/** The call when the lane takes the request, judged on its head alone. */
export function laneCall(req: IncomingMessage, bodyLimitBytes: number): Call | undefined {
  if (req.method !== 'POST' || req.url === undefined) return undefined;
  const m = PATH.exec(req.url);
  if (!m) return undefined;
  const h = req.headers;
  if (h['content-encoding'] !== undefined || h['transfer-encoding'] !== undefined) return undefined;
  const length = h['content-length'] === undefined ? NaN : Number(h['content-length']);
  if (!(length >= 0 && length <= bodyLimitBytes)) return undefined;
  const media = utf8MediaType(h['content-type']);
  if (media === undefined) return undefined;
  const pdpId = m[1]!;
  if (m[2] !== undefined) return media === 'application/json' ? { pdpId, kind: 'authzen' } : undefined;
  if (XML_TYPES.has(media)) return { pdpId, kind: 'xacml', format: 'xml' };
  if (JSON_TYPES.has(media)) return { pdpId, kind: 'xacml', format: 'json' };
  return undefined;
}

/** The body as UTF-8 text (a BOM dropped, as the express body parsers do). */
function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let done = false;
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => {
      done = true;
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      resolve(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    });
    req.once('error', reject);
    req.once('close', () => {
      if (!done) reject(new ApiError('bad-request', 'unreadable request body'));
    });
  });
}

/** JSON as express.json reads it (strict: an object or an array; an empty body is {}). */
function parseJsonBody(text: string): unknown {
  if (text.length === 0) return {};
  const first = /^[ \t\n\r]*([^ \t\n\r])/.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw new ApiError('malformed-body', 'request body is not well-formed');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError('malformed-body', 'request body is not well-formed');
  }
}

function send(res: ServerResponse, status: number, type: string, text: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

async function answer(deps: LaneDeps, check: AccessCheck, call: Call, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  const actor = await actorFromHeader(deps.repos.principals, req.headers.authorization);
  const tx = newTransaction(req.headers['x-request-id'] as string | undefined);
  Object.assign(headers, tx.headers);
  await check(actor, 'pdp:evaluate', { type: 'pdp', id: call.pdpId });
  const text = await readText(req);
  const caller = { txId: tx.txId, callerId: actor?.id ?? null };
  if (call.kind === 'xacml') {
    checkBody(text);
    const out = await evaluateXacml(deps, await pdpEntry(deps, call.pdpId), call.format, requireDocument(text), caller);
    send(res, 200, call.format === 'xml' ? 'application/xacml+xml; charset=utf-8' : 'application/xacml+json; charset=utf-8', out, headers);
    return;
  }
  const body = parseJsonBody(text);
  checkBody(body);
  authzenEvaluationSchema.parse(body);
  const decision = await evaluateAuthzen(deps, await pdpEntry(deps, call.pdpId), parseEvaluation(body as Parameters<typeof parseEvaluation>[0]), caller);
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(decision), headers);
}

/** The request listener: the decision lane in front of the express app. */
export function withDecisionLane(deps: LaneDeps, check: AccessCheck, app: RequestListener): RequestListener {
  const fail = (err: unknown): void => deps.log.error('unhandled error', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  return (req, res) => {
    const call = laneCall(req, deps.config.bodyLimitBytes);
    if (call === undefined) {
      app(req, res);
      return;
    }
    const headers: Record<string, string> = {};
    answer(deps, check, call, req, res, headers).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const { status, body } = errorAnswer(err, fail);
      send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
    });
  };
}
