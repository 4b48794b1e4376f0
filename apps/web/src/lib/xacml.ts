/**
 * XACML vocabulary for people who are not XACML engineers: short names for categories,
 * datatypes and combining algorithms; requests built from a form (XACML XML, JSON Profile,
 * AuthZEN); responses read into one shape whatever the wire format.
 */
export const CATEGORIES = {
  subject: 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject',
  action: 'urn:oasis:names:tc:xacml:3.0:attribute-category:action',
  resource: 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource',
  environment: 'urn:oasis:names:tc:xacml:3.0:attribute-category:environment',
} as const;
export type CategoryName = keyof typeof CATEGORIES;
export const CATEGORY_NAMES = Object.keys(CATEGORIES) as CategoryName[];

const JSON_CATEGORY: Record<CategoryName, string> = { subject: 'AccessSubject', action: 'Action', resource: 'Resource', environment: 'Environment' };

export const XS = 'http://www.w3.org/2001/XMLSchema#';
export const DATATYPES = ['string', 'boolean', 'integer', 'double', 'date', 'dateTime', 'time', 'anyURI'] as const;

export const ATTR = {
  subjectId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id',
  actionId: 'urn:oasis:names:tc:xacml:1.0:action:action-id',
  resourceId: 'urn:oasis:names:tc:xacml:1.0:resource:resource-id',
} as const;

export const COMBINING_ALGORITHMS: readonly { id: string; label: string; help: string }[] = [
  { id: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-overrides', label: 'Deny overrides', help: 'Any policy that denies wins.' },
  { id: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:permit-overrides', label: 'Permit overrides', help: 'Any policy that permits wins (an explicit permission beats a catch-all deny).' },
  { id: 'urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:first-applicable', label: 'First applicable', help: 'The first policy that applies decides.' },
  { id: 'urn:oasis:names:tc:xacml:1.0:policy-combining-algorithm:only-one-applicable', label: 'Only one applicable', help: 'Exactly one policy may apply, otherwise Indeterminate.' },
  { id: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:deny-unless-permit', label: 'Deny unless permit', help: 'Deny unless some policy permits; never NotApplicable.' },
  { id: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:permit-unless-deny', label: 'Permit unless deny', help: 'Permit unless some policy denies; never NotApplicable.' },
  { id: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:ordered-deny-overrides', label: 'Ordered deny overrides', help: 'Deny overrides, policies evaluated in order.' },
  { id: 'urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:ordered-permit-overrides', label: 'Ordered permit overrides', help: 'Permit overrides, policies evaluated in order.' },
];

export function shortUrn(urn: string): string {
  const byCategory = Object.entries(CATEGORIES).find(([, v]) => v === urn);
  if (byCategory) return byCategory[0];
  const alg = COMBINING_ALGORITHMS.find((a) => a.id === urn);
  if (alg) return alg.label;
  if (urn.startsWith(XS)) return urn.slice(XS.length);
  return urn;
}

export interface FormAttribute {
  readonly category: CategoryName;
  readonly id: string;
  readonly datatype: string;
  readonly value: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function grouped(attrs: readonly FormAttribute[]): Map<CategoryName, FormAttribute[]> {
  const m = new Map<CategoryName, FormAttribute[]>();
  for (const a of attrs) {
    if (a.id.trim() === '' || a.value === '') continue;
    const list = m.get(a.category) ?? [];
    list.push(a);
    m.set(a.category, list);
  }
  return m;
}

export function toXacmlXml(attrs: readonly FormAttribute[]): string {
  const blocks = [...grouped(attrs)].map(
    ([cat, list]) =>
      `  <Attributes Category="${CATEGORIES[cat]}">\n${list
        .map((a) => `    <Attribute AttributeId="${esc(a.id)}" IncludeInResult="false">\n      <AttributeValue DataType="${XS}${a.datatype}">${esc(a.value)}</AttributeValue>\n    </Attribute>`)
        .join('\n')}\n  </Attributes>`,
  );
  return `<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" ReturnPolicyIdList="true" CombinedDecision="false">\n${blocks.join('\n')}\n</Request>`;
}

export function toXacmlJson(attrs: readonly FormAttribute[]): string {
  const req: Record<string, unknown> = { ReturnPolicyIdList: true };
  for (const [cat, list] of grouped(attrs)) {
    req[JSON_CATEGORY[cat]] = { Attribute: list.map((a) => ({ AttributeId: a.id, Value: a.value, ...(a.datatype !== 'string' ? { DataType: `${XS}${a.datatype}` } : {}) })) };
  }
  return JSON.stringify({ Request: req }, null, 2);
}

/** AuthZEN 1.0: subject/action/resource ids plus the other attributes as properties (see the API's mapping). */
export function toAuthzen(attrs: readonly FormAttribute[]): string {
  const first = (cat: CategoryName, id: string) => attrs.find((a) => a.category === cat && a.id === id)?.value ?? '';
  const props = (cat: CategoryName, skip: string) =>
    Object.fromEntries(attrs.filter((a) => a.category === cat && a.id !== skip && a.id !== '' && a.value !== '').map((a) => [a.id, a.value]));
  const body = {
    subject: { type: 'user', id: first('subject', ATTR.subjectId), properties: props('subject', ATTR.subjectId) },
    action: { name: first('action', ATTR.actionId), properties: props('action', ATTR.actionId) },
    resource: { type: 'resource', id: first('resource', ATTR.resourceId), properties: props('resource', ATTR.resourceId) },
    context: props('environment', ''),
  };
  return JSON.stringify(body, null, 2);
}

export interface Advice {
  readonly id: string;
  readonly assignments: readonly { id: string; value: string }[];
}

export interface ReadResult {
  readonly decision: string;
  readonly status: string;
  readonly statusMessage?: string;
  readonly obligations: readonly Advice[];
  readonly advice: readonly Advice[];
  readonly policies: readonly string[];
}

function local(el: Element, name: string): Element[] {
  return Array.from(el.getElementsByTagNameNS('*', name));
}

export function readXmlResponse(text: string): ReadResult[] {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  return local(doc.documentElement, 'Result').map((r) => {
    const assignments = (e: Element) => local(e, 'AttributeAssignment').map((a) => ({ id: a.getAttribute('AttributeId') ?? '', value: a.textContent ?? '' }));
    const msg = local(r, 'StatusMessage')[0]?.textContent ?? undefined;
    return {
      decision: local(r, 'Decision')[0]?.textContent ?? '?',
      status: local(r, 'StatusCode')[0]?.getAttribute('Value') ?? '',
      ...(msg ? { statusMessage: msg } : {}),
      obligations: local(r, 'Obligation').map((o) => ({ id: o.getAttribute('ObligationId') ?? '', assignments: assignments(o) })),
      advice: local(r, 'Advice').map((o) => ({ id: o.getAttribute('AdviceId') ?? '', assignments: assignments(o) })),
      policies: [...local(r, 'PolicyIdReference'), ...local(r, 'PolicySetIdReference')].map((p) => `${p.textContent ?? ''} v${p.getAttribute('Version') ?? '?'}`),
    };
  });
}

interface JsonAssignment {
  AttributeId?: string;
  Value?: unknown;
}
interface JsonObligation {
  Id?: string;
  AttributeAssignment?: JsonAssignment[];
}
interface JsonResult {
  Decision?: string;
  Status?: { StatusCode?: { Value?: string }; StatusMessage?: string };
  Obligations?: JsonObligation[];
  AssociatedAdvice?: JsonObligation[];
  PolicyIdentifierList?: { PolicyIdReference?: { Id?: string; Version?: string }[]; PolicySetIdReference?: { Id?: string; Version?: string }[] };
}

export function readJsonResponse(text: string): ReadResult[] {
  const body = JSON.parse(text) as { Response?: JsonResult | JsonResult[] };
  const list = Array.isArray(body.Response) ? body.Response : body.Response ? [body.Response] : [];
  const adv = (o: JsonObligation): Advice => ({ id: o.Id ?? '', assignments: (o.AttributeAssignment ?? []).map((a) => ({ id: a.AttributeId ?? '', value: String(a.Value) })) });
  return list.map((r) => ({
    decision: r.Decision ?? '?',
    status: r.Status?.StatusCode?.Value ?? 'urn:oasis:names:tc:xacml:1.0:status:ok',
    ...(r.Status?.StatusMessage ? { statusMessage: r.Status.StatusMessage } : {}),
    obligations: (r.Obligations ?? []).map(adv),
    advice: (r.AssociatedAdvice ?? []).map(adv),
    policies: [...(r.PolicyIdentifierList?.PolicyIdReference ?? []), ...(r.PolicyIdentifierList?.PolicySetIdReference ?? [])].map((p) => `${p.Id ?? ''} v${p.Version ?? '?'}`),
  }));
}

export function readAuthzenResponse(text: string): ReadResult[] {
  const body = JSON.parse(text) as { decision?: boolean; context?: { xacml_decision?: string; status?: string; status_message?: string; obligations?: string[]; advice?: string[] } };
  const ctx = body.context ?? {};
  return [
    {
      decision: ctx.xacml_decision ?? (body.decision ? 'Permit' : 'Deny'),
      status: ctx.status ?? '',
      ...(ctx.status_message ? { statusMessage: ctx.status_message } : {}),
      obligations: (ctx.obligations ?? []).map((id) => ({ id, assignments: [] })),
      advice: (ctx.advice ?? []).map((id) => ({ id, assignments: [] })),
      policies: [],
    },
  ];
}
