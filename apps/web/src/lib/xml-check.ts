/**
 * Validation the browser can do before a policy is sent: well-formed XML (with the line the
 * parser points at), a Policy or PolicySet root in the XACML 3.0 namespace, PolicyId and Version.
 * The server compiles every upload anyway; this catches typos without a round trip.
 */
export interface LineIssue {
  readonly line: number | undefined;
  readonly message: string;
}

export interface PolicyInfo {
  readonly kind: 'Policy' | 'PolicySet';
  readonly id: string;
  readonly version: string;
}

const XACML3 = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';

function parserErrorLine(text: string): number | undefined {
  const m = /line(?: number)?\s*(\d+)/i.exec(text);
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

export function checkPolicyXml(text: string): { info?: PolicyInfo; issues: LineIssue[] } {
  if (text.trim() === '') return { issues: [{ line: 1, message: 'The document is empty.' }] };
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const err = doc.getElementsByTagName('parsererror')[0];
  if (err) {
    const msg = (err.textContent ?? 'malformed XML').replace(/\s+/g, ' ').trim();
    return { issues: [{ line: parserErrorLine(msg), message: `Malformed XML: ${msg.replace(/^This page contains the following errors:\s*/i, '').replace(/Below is a rendering.*$/i, '')}` }] };
  }
  const root = doc.documentElement;
  const issues: LineIssue[] = [];
  const kind = root.localName;
  if (kind !== 'Policy' && kind !== 'PolicySet') return { issues: [{ line: 1, message: `The root element is <${root.localName}>: a policy document is a <Policy> or a <PolicySet>.` }] };
  if (root.namespaceURI !== XACML3) issues.push({ line: 1, message: `The document is not in the XACML 3.0 namespace (${XACML3}); the server accepts 1.0/2.0 documents too, check it is what you meant.` });
  const id = root.getAttribute(kind === 'Policy' ? 'PolicyId' : 'PolicySetId');
  const version = root.getAttribute('Version') ?? '1.0';
  if (!id) issues.push({ line: 1, message: `<${kind}> has no ${kind}Id attribute.` });
  return { ...(id ? { info: { kind, id, version } } : {}), issues };
}

/** Rule ids and effects of a policy document (for explaining decisions). */
export function rulesOf(text: string): { policyId: string; rules: { id: string; effect: string }[] }[] {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror')[0]) return [];
  const out: { policyId: string; rules: { id: string; effect: string }[] }[] = [];
  for (const p of Array.from(doc.getElementsByTagNameNS('*', 'Policy'))) {
    const rules = Array.from(p.getElementsByTagNameNS('*', 'Rule')).map((r) => ({ id: r.getAttribute('RuleId') ?? '?', effect: r.getAttribute('Effect') ?? '?' }));
    out.push({ policyId: p.getAttribute('PolicyId') ?? '?', rules });
  }
  return out;
}

/** Raises the last number of a XACML version: 1.0 → 1.1. */
export function bumpVersion(v: string): string {
  const parts = v.split('.');
  const last = Number(parts[parts.length - 1] ?? '0');
  parts[parts.length - 1] = String(Number.isFinite(last) ? last + 1 : 1);
  return parts.join('.');
}

/** Rewrites the root element's Version attribute. */
export function withVersion(text: string, version: string): string {
  return text.replace(/(<(?:\w+:)?Policy(?:Set)?\b[^>]*?\bVersion=")([^"]*)(")/, `$1${version}$3`);
}
