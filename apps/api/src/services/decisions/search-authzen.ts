/**
 * AuthZEN 1.0 Search APIs (subject, resource, action search). The PDP has no directory of its
 * own: the candidates are what the domain knows of that entity — the sample PIP's entities of
 * the category and the values its policies compare the entity's id with (literals in targets
 * and conditions). Each candidate is put into the request and evaluated like an Access
 * Evaluation; those that are permitted are the results, so every result fed back into an
 * evaluation gives `decision: true` (the spec's requirement). A Context Handler cannot list
 * what it knows, so it only contributes attributes while candidates are evaluated.
 *
 * Pagination is stateless: `page.next_token` is an opaque token holding the offset and a
 * fingerprint of the search; a token used with another search is refused (400). Search
 * evaluations are not written to the decision log (one search may evaluate thousands).
 */
import { createHash } from 'node:crypto';
import { ATTR, CATEGORY, parseRequestJson } from '@safax/xacml';
import { ApiError } from '../../errors/api-error';
import {
  authzenToXacmlJson,
  isRecord,
  parseAction,
  parseResource,
  parseSubject,
  type AuthzenEvaluation,
  type JsonRecord,
} from '../../pdp/authzen-mapping';
import type { DomainPdp } from '../../pdp/pdp-registry';
import type { Caller } from './evaluation-outcome';
import { runEvaluation } from './evaluation-outcome';

export const SEARCH_KINDS = ['subject', 'resource', 'action'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** Results per page when the request gives no `page.limit`. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
/** Candidates evaluated per search at most (the first ones in sorted order). */
export const MAX_CANDIDATES = 5000;

type Result = { type?: string; id: string } | { name: string };

export interface SearchAnswer {
  readonly results: readonly Result[];
  readonly page: { readonly next_token: string; readonly count: number; readonly total: number };
}

const ENTITY: Readonly<Record<SearchKind, { category: string; attributeId: string }>> = {
  subject: { category: CATEGORY.accessSubject, attributeId: ATTR.subjectId },
  resource: { category: CATEGORY.resource, attributeId: ATTR.resourceId },
  action: { category: CATEGORY.action, attributeId: ATTR.actionId },
};

const bad = (message: string): ApiError => new ApiError('bad-request', message);

interface ParsedSearch {
  /** The request with the searched entity still to fill in (no action in an action search). */
  readonly template: Omit<AuthzenEvaluation, 'action'> & Partial<Pick<AuthzenEvaluation, 'action'>>;
  readonly offset: number;
  readonly limit: number;
  readonly fingerprint: string;
}

function parseSearch(kind: SearchKind, body: unknown): ParsedSearch {
  if (!isRecord(body)) throw bad('the request body must be a JSON object');
  const need = (member: string): unknown => {
    if (body[member] === undefined || body[member] === null) throw bad(`${member} is required`);
    return body[member];
  };
  // The searched entity's id (or the action) is ignored when present, as the spec says.
  const subject = kind === 'subject' ? parseSubject(need('subject'), 'subject', false) : parseSubject(need('subject'));
  const resource = parseResource(need('resource'));
  const action = kind === 'action' ? undefined : parseAction(need('action'));
  if (kind === 'subject' && subject.type === undefined) throw bad('subject.type is required in a subject search');
  if (kind === 'resource' && resource.type === undefined) throw bad('resource.type is required in a resource search');
  const context = body.context === undefined || body.context === null ? undefined : body.context;
  if (context !== undefined && !isRecord(context)) throw bad('context must be a JSON object');

  const page = body.page === undefined || body.page === null ? {} : body.page;
  if (!isRecord(page)) throw bad('page must be a JSON object');
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw bad(`page.limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);

  const { page: _page, ...search } = body;
  const fingerprint = createHash('sha256').update(`${kind}\n${canonical(search)}`).digest('base64url').slice(0, 16);
  const token = page.next_token ?? page.token;
  let offset = 0;
  if (token !== undefined && token !== null && token !== '') {
    if (typeof token !== 'string') throw bad('page.next_token must be a string');
    offset = readToken(token, fingerprint);
  }
  return {
    template: { subject, ...(action ? { action } : {}), resource, ...(context ? { context: context as JsonRecord } : {}) },
    offset, limit, fingerprint,
  };
}

/** JSON with sorted keys: the same search gives the same fingerprint whatever the member order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

function makeToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

function readToken(token: string, fingerprint: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad('page.next_token is not a token this PDP issued');
  }
  if (!isRecord(parsed) || typeof parsed.o !== 'number' || !Number.isInteger(parsed.o) || parsed.o < 0) throw bad('page.next_token is not a token this PDP issued');
  if (parsed.f !== fingerprint) throw bad('page.next_token belongs to another search: repeat the search it came from unchanged');
  return parsed.o;
}

/** What the domain knows of the searched entity: sample PIP entities and policy literals. */
export function searchCandidates(entry: DomainPdp, kind: SearchKind): string[] {
  const { category, attributeId } = ENTITY[kind];
  const all = new Set<string>([...(entry.pip?.entities(category) ?? []), ...(entry.pdp?.literals(category, attributeId) ?? [])]);
  all.delete('');
  return [...all].sort().slice(0, MAX_CANDIDATES);
}

function withCandidate(kind: SearchKind, s: ParsedSearch, candidate: string): AuthzenEvaluation {
  const t = s.template;
  if (kind === 'subject') return { ...t, subject: { ...t.subject, id: candidate }, action: t.action! };
  if (kind === 'resource') return { ...t, action: t.action!, resource: { ...t.resource, id: candidate } };
  return { ...t, action: { name: candidate, properties: {} } };
}

function resultOf(kind: SearchKind, e: AuthzenEvaluation): Result {
  if (kind === 'action') return { name: e.action.name };
  const entity = kind === 'subject' ? e.subject : e.resource;
  return { ...(entity.type !== undefined ? { type: entity.type } : {}), id: entity.id ?? '' };
}

export async function searchAuthzen(entry: DomainPdp, kind: SearchKind, body: unknown, caller: Caller): Promise<SearchAnswer> {
  const s = parseSearch(kind, body);
  const permitted: Result[] = [];
  if (entry.pdp) {
    for (const [i, candidate] of searchCandidates(entry, kind).entries()) {
      const e = withCandidate(kind, s, candidate);
      const run = await runEvaluation(entry, parseRequestJson(authzenToXacmlJson(e)), { ...caller, txId: `${caller.txId}.${i}` });
      if (run.response.results[0]?.decision === 'Permit') permitted.push(resultOf(kind, e));
    }
  }
  const results = permitted.slice(s.offset, s.offset + s.limit);
  const next = s.offset + s.limit < permitted.length ? makeToken(s.offset + s.limit, s.fingerprint) : '';
  return { results, page: { next_token: next, count: results.length, total: permitted.length } };
}
