/**
 * Router and PDP endpoint (the PDP-URL). Every call gets a transaction id (X-Transaction-Id,
 * also logged; X-Request-ID is echoed as AuthZEN asks). Formats:
 * - POST /pdp/{pdpId}: XACML XML (application/xacml+xml) or XACML JSON Profile (application/xacml+json)
 * - POST /pdp/{pdpId}/access/v1/evaluation(s): OpenID AuthZEN 1.0 (see pdp/authzen-mapping.ts)
 * - POST /pdp/{pdpId}/access/v1/search/{subject,resource,action}: AuthZEN searches
 * - GET /pdp/{pdpId}: XACML REST profile home document linking the PDP resource.
 * - GET /.well-known/authzen-configuration/pdp/{pdpId}: AuthZEN metadata where the spec puts it
 *   (the well-known path between the host and the PDP's path), readable without a key; the
 *   per-PDP /pdp/{pdpId}/.well-known/authzen-configuration answers the same (with a key).
 */
import { checkedBody } from '../server/input-hygiene';
import express, { Router } from 'express';
import type { Request, RequestHandler } from 'express';
import type { AppDeps } from '../app-deps';
import { actorOf } from '../auth/authenticate';
import { ApiError, notFound } from '../errors/api-error';
import type { Guard } from '../pep/guard';
import { authzenEvaluationSchema, authzenEvaluationsSchema, authzenSearchSchema, parseEvaluation, parseEvaluations } from '../pdp/authzen-mapping';
import type { DomainPdp } from '../pdp/pdp-registry';
import { evaluateAuthzen, evaluateAuthzenBatch } from '../services/decisions/evaluate-authzen';
import { evaluateXacml } from '../services/decisions/evaluate-xacml';
import { SEARCH_KINDS, searchAuthzen } from '../services/decisions/search-authzen';
import type { SearchKind } from '../services/decisions/search-authzen';
import type { Caller } from '../services/decisions/evaluation-outcome';
import { newTransactionId } from '../services/decisions/transaction-id';
import { bodyType, pathParam, validate } from './http-helpers';

export const XACML_XML_TYPES = ['application/xacml+xml', 'application/xml', 'text/xml'] as const;
export const XACML_JSON_TYPES = ['application/xacml+json', 'application/json'] as const;
export const PDP_RELATION = 'http://docs.oasis-open.org/ns/xacml/relation/pdp';

/** A new transaction: its id, and the headers that carry it (with X-Request-ID echoed, when sane). */
export function newTransaction(requestId: string | undefined): { txId: string; headers: Record<string, string> } {
  const txId = newTransactionId();
  return { txId, headers: requestId !== undefined && requestId.length <= 200 ? { 'X-Transaction-Id': txId, 'X-Request-ID': requestId } : { 'X-Transaction-Id': txId } };
}

const transactionId: RequestHandler = (req, res, next) => {
  const { txId, headers } = newTransaction(req.get('x-request-id'));
  res.locals.txId = txId;
  res.set(headers);
  next();
};

/** The domain PDP a PDP-URL names, or 404. */
export async function pdpEntry(deps: Pick<AppDeps, 'pdps'>, pdpId: string): Promise<DomainPdp> {
  const e = await deps.pdps.byPdpId(pdpId);
  if (!e) throw notFound('PDP');
  return e;
}

/** The empty-body refusal of the XACML endpoint (also the fast lane's). */
export function requireDocument(body: unknown): string {
  if (typeof body !== 'string' || body.trim() === '') throw new ApiError('malformed-body', 'empty request');
  return body;
}

export function pdpRoutes(deps: AppDeps, guard: Guard): Router {
  const r = Router();
  const pdp = (req: Request) => ({ type: 'pdp' as const, id: pathParam(req, 'pdpId') });
  const raw = checkedBody(express.text({ type: [...XACML_XML_TYPES, ...XACML_JSON_TYPES], limit: deps.config.bodyLimitBytes }));
  const json = checkedBody(express.json({ limit: deps.config.bodyLimitBytes }));

  const entryOf = (req: Request): Promise<DomainPdp> => pdpEntry(deps, pathParam(req, 'pdpId'));
  const callerOf = (res: express.Response): Caller => ({ txId: String(res.locals.txId), callerId: actorOf(res.locals)?.id ?? null });
  const base = (req: Request) => `${deps.config.publicBaseUrl}/pdp/${pathParam(req, 'pdpId')}`;
  const metadata = (pdpBase: string) => ({
    policy_decision_point: pdpBase,
    access_evaluation_endpoint: `${pdpBase}/access/v1/evaluation`,
    access_evaluations_endpoint: `${pdpBase}/access/v1/evaluations`,
    search_subject_endpoint: `${pdpBase}/access/v1/search/subject`,
    search_resource_endpoint: `${pdpBase}/access/v1/search/resource`,
    search_action_endpoint: `${pdpBase}/access/v1/search/action`,
  });
  // The PDP identifier's path below the host (the public base URL may have a path of its own).
  const basePath = new URL(deps.config.publicBaseUrl).pathname.replace(/\/+$/, '');

  r.get('/pdp/:pdpId', transactionId, guard('pdp:home', pdp), async (req, res) => {
    await entryOf(req);
    res.type('application/json-home').json({
      api: { title: 'SAFAX-TS PDP', links: { 'describedBy': `${deps.config.publicBaseUrl}/openapi.yaml` } },
      resources: {
        [PDP_RELATION]: { href: base(req), hints: { allow: ['POST'], formats: { 'application/xacml+xml': {}, 'application/xacml+json': {} } } },
        'https://openid.net/specs/authorization-api-1_0#evaluation': { href: `${base(req)}/access/v1/evaluation`, hints: { allow: ['POST'], formats: { 'application/json': {} } } },
        'https://openid.net/specs/authorization-api-1_0#evaluations': { href: `${base(req)}/access/v1/evaluations`, hints: { allow: ['POST'], formats: { 'application/json': {} } } },
        ...Object.fromEntries(SEARCH_KINDS.map((k) => [`https://openid.net/specs/authorization-api-1_0#search-${k}`, { href: `${base(req)}/access/v1/search/${k}`, hints: { allow: ['POST'], formats: { 'application/json': {} } } }])),
      },
    });
  });
  r.get('/pdp/:pdpId/.well-known/authzen-configuration', transactionId, guard('pdp:home', pdp), async (req, res) => {
    await entryOf(req);
    res.json(metadata(base(req)));
  });
  // Public: metadata names endpoints only; deciding still needs a key.
  r.get(`/.well-known/authzen-configuration${basePath}/pdp/:pdpId`, transactionId, async (req, res) => {
    await entryOf(req);
    res.set('Cache-Control', 'public, max-age=300').json(metadata(base(req)));
  });
  r.post('/pdp/:pdpId', transactionId, guard('pdp:evaluate', pdp), raw, async (req, res) => {
    const format = bodyType(req, XACML_XML_TYPES) ? 'xml' : bodyType(req, XACML_JSON_TYPES) ? 'json' : undefined;
    if (format === undefined) throw new ApiError('unsupported-media-type', `send ${[...XACML_XML_TYPES, ...XACML_JSON_TYPES].join(', ')}`);
    const text = await evaluateXacml(deps, await entryOf(req), format, requireDocument(req.body), callerOf(res));
    res.type(format === 'xml' ? 'application/xacml+xml' : 'application/xacml+json').send(text);
  });
  r.post('/pdp/:pdpId/access/v1/evaluation', transactionId, guard('pdp:evaluate', pdp), json, async (req, res) => {
    if (!bodyType(req, ['application/json'])) throw new ApiError('unsupported-media-type', 'send application/json');
    validate(authzenEvaluationSchema, req.body);
    res.json(await evaluateAuthzen(deps, await entryOf(req), parseEvaluation(req.body), callerOf(res)));
  });
  r.post('/pdp/:pdpId/access/v1/evaluations', transactionId, guard('pdp:evaluate', pdp), json, async (req, res) => {
    if (!bodyType(req, ['application/json'])) throw new ApiError('unsupported-media-type', 'send application/json');
    validate(authzenEvaluationsSchema, req.body);
    res.json(await evaluateAuthzenBatch(deps, await entryOf(req), parseEvaluations(req.body), callerOf(res)));
  });
  r.post('/pdp/:pdpId/access/v1/search/:kind', transactionId, guard('pdp:evaluate', pdp), json, async (req, res) => {
    const kind = pathParam(req, 'kind');
    if (!(SEARCH_KINDS as readonly string[]).includes(kind)) throw notFound(`search kind ${kind} (subject, resource or action)`);
    if (!bodyType(req, ['application/json'])) throw new ApiError('unsupported-media-type', 'send application/json');
    validate(authzenSearchSchema, req.body);
    res.json(await searchAuthzen(await entryOf(req), kind as SearchKind, req.body, callerOf(res)));
  });
  return r;
}
