/**
 * The managed rights policy of a domain, as pure functions: a set of dataset rights ⇄ one
 * generated XACML 3.0 Policy (PolicyId MANAGED_RIGHTS_POLICY_ID). The policy is the only store
 * of the rights, so versions, diff and rollback of the PAP apply to them. Each right is one
 * Permit rule whose Description holds the right as canonical JSON; reading a stored version
 * back regenerates it and insists on the same text, so a hand-edited version is noticed instead
 * of being silently rewritten.
 */
import { XMLParser } from 'fast-xml-parser';
import { DATASET_ACTIONS, DATASET_RESOURCE_TYPE, MANAGED_RIGHTS_POLICY_ID, RIGHTS_VOCABULARY as V, SUBJECT_KINDS, datasetRightSchema } from '@safax/contracts';
import type { DatasetRight, RightsConditions, RightsSubject } from '@safax/contracts';

const XS_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const XS_TIME = 'http://www.w3.org/2001/XMLSchema#time';
const XS_DATETIME = 'http://www.w3.org/2001/XMLSchema#dateTime';
const F = 'urn:oasis:names:tc:xacml:1.0:function:';

/** Why a stored managed policy could not be read as rights. */
export class ManagedPolicyError extends Error {
  override readonly name = 'ManagedPolicyError';
}

const SUBJECT_ATTRIBUTE: Record<RightsSubject['kind'], string> = { user: V.user, group: V.group, role: V.role };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Conditions with a fixed key order, sorted unique purposes; undefined when empty. */
function canonicalConditions(c: RightsConditions | undefined): RightsConditions | undefined {
  if (!c) return undefined;
  const out: { -readonly [K in keyof RightsConditions]: RightsConditions[K] } = {};
  if (c.timeFrom !== undefined && c.timeUntil !== undefined) {
    out.timeFrom = c.timeFrom;
    out.timeUntil = c.timeUntil;
  }
  if (c.validFrom !== undefined) out.validFrom = new Date(c.validFrom).toISOString();
  if (c.validUntil !== undefined) out.validUntil = new Date(c.validUntil).toISOString();
  if (c.purposes !== undefined && c.purposes.length > 0) out.purposes = [...new Set(c.purposes)].sort();
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The right with canonical action order and conditions (the form the policy stores). */
export function canonicalRight(r: DatasetRight): DatasetRight {
  const conditions = canonicalConditions(r.conditions);
  return {
    subject: { kind: r.subject.kind, name: r.subject.name },
    dataset: r.dataset,
    actions: DATASET_ACTIONS.filter((a) => r.actions.includes(a)),
    ...(conditions ? { conditions } : {}),
  };
}

/** Identity of a grant: the same subject, dataset and conditions is one rule. */
export function grantKey(r: Pick<DatasetRight, 'subject' | 'dataset' | 'conditions'>): string {
  return JSON.stringify([r.subject.kind, r.subject.name, r.dataset, canonicalConditions(r.conditions) ?? null]);
}

/** Canonical order of the rules: subject kind, subject name, dataset, conditions. */
export function canonicalRights(rights: readonly DatasetRight[]): DatasetRight[] {
  const kindOrder = (k: RightsSubject['kind']) => SUBJECT_KINDS.indexOf(k);
  return rights
    .map(canonicalRight)
    .filter((r) => r.actions.length > 0)
    .sort((a, b) => kindOrder(a.subject.kind) - kindOrder(b.subject.kind) || cmp(a.subject.name, b.subject.name) || cmp(a.dataset, b.dataset) || cmp(grantKey(a), grantKey(b)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function match(fn: string, value: string, datatype: string, category: string, attributeId: string): string {
  return `<Match MatchId="${fn}"><AttributeValue DataType="${datatype}">${esc(value)}</AttributeValue><AttributeDesignator Category="${category}" AttributeId="${attributeId}" DataType="${datatype}" MustBePresent="false"/></Match>`;
}

function designator(category: string, attributeId: string, datatype: string): string {
  return `<AttributeDesignator Category="${category}" AttributeId="${attributeId}" DataType="${datatype}" MustBePresent="false"/>`;
}

function oneAndOnly(type: 'time' | 'dateTime', attributeId: string): string {
  return `<Apply FunctionId="${F}${type}-one-and-only">${designator(V.environment, attributeId, type === 'time' ? XS_TIME : XS_DATETIME)}</Apply>`;
}

function conditionXml(c: RightsConditions | undefined): string {
  if (!c) return '';
  const parts: string[] = [];
  if (c.timeFrom !== undefined && c.timeUntil !== undefined) {
    parts.push(
      `<Apply FunctionId="urn:oasis:names:tc:xacml:2.0:function:time-in-range">${oneAndOnly('time', V.currentTime)}<AttributeValue DataType="${XS_TIME}">${c.timeFrom}</AttributeValue><AttributeValue DataType="${XS_TIME}">${c.timeUntil}</AttributeValue></Apply>`,
    );
  }
  if (c.validFrom !== undefined) {
    parts.push(`<Apply FunctionId="${F}dateTime-greater-than-or-equal">${oneAndOnly('dateTime', V.currentDateTime)}<AttributeValue DataType="${XS_DATETIME}">${c.validFrom}</AttributeValue></Apply>`);
  }
  if (c.validUntil !== undefined) {
    parts.push(`<Apply FunctionId="${F}dateTime-less-than-or-equal">${oneAndOnly('dateTime', V.currentDateTime)}<AttributeValue DataType="${XS_DATETIME}">${c.validUntil}</AttributeValue></Apply>`);
  }
  if (c.purposes !== undefined) {
    const bag = c.purposes.map((p) => `<AttributeValue DataType="${XS_STRING}">${esc(p)}</AttributeValue>`).join('');
    parts.push(`<Apply FunctionId="${F}string-at-least-one-member-of">${designator(V.environment, V.purpose, XS_STRING)}<Apply FunctionId="${F}string-bag">${bag}</Apply></Apply>`);
  }
  if (parts.length === 0) return '';
  const body = parts.length === 1 ? parts[0] : `<Apply FunctionId="${F}and">${parts.join('')}</Apply>`;
  return `\n    <Condition>${body}</Condition>`;
}

function ruleXml(r: DatasetRight, index: number): string {
  const subject = match(`${F}string-equal`, r.subject.name, XS_STRING, V.accessSubject, SUBJECT_ATTRIBUTE[r.subject.kind]);
  const dataset = match(`${F}string-equal`, r.dataset, XS_STRING, V.resource, V.dataset);
  const actions = r.actions.map((a) => `<AllOf>${match(`${F}string-equal`, a, XS_STRING, V.action, V.actionId)}</AllOf>`).join('');
  return [
    `  <Rule RuleId="right-${index + 1}" Effect="Permit">`,
    `    <Description>${esc(JSON.stringify(r))}</Description>`,
    `    <Target><AnyOf><AllOf>${subject}</AllOf></AnyOf><AnyOf><AllOf>${dataset}</AllOf></AnyOf><AnyOf>${actions}</AnyOf></Target>${conditionXml(r.conditions)}`,
    `  </Rule>`,
  ].join('\n');
}

/**
 * The managed policy for these rights at this version. Deterministic: the same rights (in any
 * order, actions in any order) give the same text. Permit-only (rules combined with
 * permit-overrides, so a rule whose condition errs cannot hide another grant): a request no
 * right matches is NotApplicable, and the domain's root combining algorithm decides how that
 * meets the domain's own policies.
 */
export function generateManagedPolicy(rights: readonly DatasetRight[], version: string): string {
  const rules = canonicalRights(rights).map(ruleXml);
  const noRule = `  <Rule RuleId="no-rights" Effect="Permit">\n    <Description>No dataset right is granted: this rule never applies.</Description>\n    <Condition><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#boolean">false</AttributeValue></Condition>\n  </Rule>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="${MANAGED_RIGHTS_POLICY_ID}" Version="${esc(version)}" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:permit-overrides">`,
    '  <Description>Dataset rights managed by SAFAX-TS (safax rights, /api/v1/domains/{domainId}/rights). Generated: change it through the rights API, not by hand. It only permits; a request no right matches is NotApplicable here.</Description>',
    `  <Target><AnyOf><AllOf>${match(`${F}string-equal`, DATASET_RESOURCE_TYPE, XS_STRING, V.resource, V.resourceType)}</AllOf></AnyOf></Target>`,
    ...(rules.length > 0 ? rules : [noRule]),
    '</Policy>',
    '',
  ].join('\n');
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'Rule',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
});

/** The version of a managed policy text, from its root element. */
function versionOf(doc: Record<string, unknown>): string {
  const policy = doc['Policy'] as Record<string, unknown> | undefined;
  const v = policy?.['@Version'];
  if (typeof v !== 'string') throw new ManagedPolicyError('not a managed rights policy: no Policy element with a Version');
  return v;
}

/**
 * The rights a stored managed policy holds. Throws ManagedPolicyError when the text is not
 * exactly what the generator writes for them (edited by hand, or another PolicyId).
 */
export function readManagedPolicy(text: string): DatasetRight[] {
  if (/<!DOCTYPE/i.test(text)) throw new ManagedPolicyError('not a managed rights policy: DOCTYPE');
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new ManagedPolicyError(`not a managed rights policy: ${e instanceof Error ? e.message : String(e)}`);
  }
  const version = versionOf(doc);
  const policy = doc['Policy'] as Record<string, unknown>;
  if (policy['@PolicyId'] !== MANAGED_RIGHTS_POLICY_ID) throw new ManagedPolicyError(`not the managed rights policy (PolicyId ${String(policy['@PolicyId'])})`);
  const rules = (policy['Rule'] as Record<string, unknown>[] | undefined) ?? [];
  const rights: DatasetRight[] = [];
  for (const rule of rules) {
    if (rule['@RuleId'] === 'no-rights') continue;
    const description = rule['Description'];
    if (typeof description !== 'string') throw new ManagedPolicyError(`rule ${String(rule['@RuleId'])} has no right in its Description`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(description);
    } catch {
      throw new ManagedPolicyError(`rule ${String(rule['@RuleId'])}: its Description is not a right`);
    }
    const right = datasetRightSchema.safeParse(parsed);
    if (!right.success) throw new ManagedPolicyError(`rule ${String(rule['@RuleId'])}: its Description is not a right`);
    rights.push(right.data);
  }
  if (generateManagedPolicy(rights, version) !== text) {
    throw new ManagedPolicyError(`the managed rights policy version ${version} is not in its generated form (edited by hand?): roll back to a generated version or remove ${MANAGED_RIGHTS_POLICY_ID} from the active set`);
  }
  return canonicalRights(rights);
}

export interface RightsChange {
  readonly rights: DatasetRight[];
  readonly changed: boolean;
}

/** Adds the grant's actions to the rule of the same subject, dataset and conditions (or a new rule). */
export function applyGrant(current: readonly DatasetRight[], grant: DatasetRight): RightsChange {
  const g = canonicalRight(grant);
  const key = grantKey(g);
  const existing = current.find((r) => grantKey(r) === key);
  if (existing && g.actions.every((a) => existing.actions.includes(a))) return { rights: canonicalRights(current), changed: false };
  const next = existing
    ? current.map((r) => (r === existing ? { ...r, actions: [...new Set([...r.actions, ...g.actions])] } : r))
    : [...current, g];
  return { rights: canonicalRights(next), changed: true };
}

/**
 * Removes actions (default all) of the subject on the dataset: from the grant with exactly
 * these conditions when given, else from every grant of the pair. A rule left without actions
 * disappears.
 */
export function applyRevoke(current: readonly DatasetRight[], revoke: { subject: RightsSubject; dataset: string; actions?: readonly string[] | undefined; conditions?: RightsConditions | undefined }): RightsChange {
  const key = revoke.conditions !== undefined ? grantKey({ subject: revoke.subject, dataset: revoke.dataset, conditions: revoke.conditions }) : undefined;
  const hits = (r: DatasetRight) =>
    r.subject.kind === revoke.subject.kind && r.subject.name === revoke.subject.name && r.dataset === revoke.dataset && (key === undefined || grantKey(r) === key);
  const drop = (a: string) => revoke.actions === undefined || revoke.actions.includes(a);
  let changed = false;
  const next = current.map((r) => {
    if (!hits(r)) return r;
    const actions = r.actions.filter((a) => !drop(a));
    if (actions.length !== r.actions.length) changed = true;
    return { ...r, actions };
  });
  return { rights: canonicalRights(next), changed };
}
