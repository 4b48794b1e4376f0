/**
 * Ready-to-run snippets for a newly onboarded domains controller: curl for XACML JSON, XACML
 * XML and AuthZEN, and the SDK (@safax/pep's createPdpClient), with its real key, the domain's
 * PDP-URL and attribute ids. Everything is quoted for a POSIX shell, whatever the values hold.
 */
import { ATTR, CATEGORIES, XS } from './xacml';
import type { CategoryName, FormAttribute } from './xacml';

export interface Snippet {
  readonly id: 'xacml-json' | 'xacml-xml' | 'authzen' | 'sdk';
  readonly title: string;
  readonly text: string;
}

/** A single-quoted shell word. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const JSON_CATEGORY: Record<CategoryName, string> = { subject: 'AccessSubject', action: 'Action', resource: 'Resource', environment: 'Environment' };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** The JSON value AuthZEN infers the datatype from; undefined when AuthZEN cannot carry it. */
function authzenValue(a: FormAttribute): string | number | boolean | undefined {
  if (a.datatype === 'string') return a.value;
  if (a.datatype === 'boolean' && (a.value === 'true' || a.value === 'false')) return a.value === 'true';
  if (a.datatype === 'integer' && /^-?\d+$/.test(a.value)) return Number(a.value);
  if (a.datatype === 'double' && /^-?\d+\.\d+$/.test(a.value)) return Number(a.value);
  return undefined;
}

export function xacmlJsonRequest(attrs: readonly FormAttribute[]): string {
  const req: Record<string, unknown> = {};
  for (const cat of Object.keys(JSON_CATEGORY) as CategoryName[]) {
    const list = attrs.filter((a) => a.category === cat);
    if (list.length > 0) req[JSON_CATEGORY[cat]] = { Attribute: list.map((a) => ({ AttributeId: a.id, Value: a.value, ...(a.datatype !== 'string' ? { DataType: `${XS}${a.datatype}` } : {}) })) };
  }
  return JSON.stringify({ Request: req }, null, 2);
}

export function xacmlXmlRequest(attrs: readonly FormAttribute[]): string {
  const blocks = (Object.keys(CATEGORIES) as CategoryName[])
    .map((cat) => [cat, attrs.filter((a) => a.category === cat)] as const)
    .filter(([, list]) => list.length > 0)
    .map(
      ([cat, list]) =>
        `  <Attributes Category="${CATEGORIES[cat]}">\n${list.map((a) => `    <Attribute AttributeId="${esc(a.id)}" IncludeInResult="false"><AttributeValue DataType="${XS}${a.datatype}">${esc(a.value)}</AttributeValue></Attribute>`).join('\n')}\n  </Attributes>`,
    );
  return `<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" ReturnPolicyIdList="false" CombinedDecision="false">\n${blocks.join('\n')}\n</Request>`;
}

/** AuthZEN 1.0 evaluation; attributes AuthZEN cannot carry (other datatypes) are left out and named. */
export function authzenRequest(attrs: readonly FormAttribute[]): { body: string; omitted: string[] } {
  const omitted: string[] = [];
  const props = (cat: CategoryName, skip: string) => {
    const out: Record<string, string | number | boolean> = {};
    for (const a of attrs.filter((x) => x.category === cat && x.id !== skip)) {
      const v = authzenValue(a);
      if (v === undefined) omitted.push(a.id);
      else out[a.id] = v;
    }
    return out;
  };
  const first = (cat: CategoryName, id: string) => attrs.find((a) => a.category === cat && a.id === id)?.value ?? '';
  const withProps = <T extends object>(o: T, p: Record<string, unknown>) => (Object.keys(p).length > 0 ? { ...o, properties: p } : o);
  const context = props('environment', '');
  const body = {
    subject: withProps({ type: 'user', id: first('subject', ATTR.subjectId) }, props('subject', ATTR.subjectId)),
    action: withProps({ name: first('action', ATTR.actionId) }, props('action', ATTR.actionId)),
    resource: withProps({ type: 'resource', id: first('resource', ATTR.resourceId) }, props('resource', ATTR.resourceId)),
    ...(Object.keys(context).length > 0 ? { context } : {}),
  };
  return { body: JSON.stringify(body, null, 2), omitted };
}

function sdkProperties(attrs: readonly FormAttribute[], cat: CategoryName, skip: string): string {
  const entries = attrs
    .filter((a) => a.category === cat && a.id !== skip)
    .map((a) => `${JSON.stringify(a.id)}: ${authzenValue(a) !== undefined ? JSON.stringify(authzenValue(a)) : `typed(${JSON.stringify(`${XS}${a.datatype}`)}, ${JSON.stringify(a.value)})`}`);
  return entries.length > 0 ? `{ ${entries.join(', ')} }` : '';
}

export function sdkSnippet(pdpUrl: string, attrs: readonly FormAttribute[]): string {
  const first = (cat: CategoryName, id: string) => JSON.stringify(attrs.find((a) => a.category === cat && a.id === id)?.value ?? '');
  const props = (cat: CategoryName, id: string) => {
    const p = sdkProperties(attrs, cat, id);
    return p ? `, { properties: ${p} }` : '';
  };
  const env = sdkProperties(attrs, 'environment', '');
  const needsTyped = attrs.some((a) => authzenValue(a) === undefined);
  return `// npm install @safax/pep   — save as decide.mts, run with: SAFAX_API_KEY=… node --experimental-strip-types decide.mts
import { createPdpClient, subject, action, resource${needsTyped ? ', typed' : ''} } from '@safax/pep';

const pdp = createPdpClient({
  pdpUrl: ${JSON.stringify(pdpUrl)},
  apiKey: process.env.SAFAX_API_KEY,
  format: 'xacml-json', // or 'authzen', 'xacml-xml'
});
const result = await pdp.decide({
  subject: subject(${first('subject', ATTR.subjectId)}${props('subject', ATTR.subjectId)}),
  action: action(${first('action', ATTR.actionId)}${props('action', ATTR.actionId) ? `, ${sdkProperties(attrs, 'action', ATTR.actionId)}` : ''}),
  resource: resource(${first('resource', ATTR.resourceId)}${props('resource', ATTR.resourceId)}),${env ? `\n  environment: ${env},` : ''}
});
console.log(result.decision, result.allowed ? 'allowed' : 'denied', result.transactionId);
await pdp.close();`;
}

/** The four snippets, each runnable as shown once the key is exported as SAFAX_API_KEY (the first line does it). */
export function onboardingSnippets(input: { pdpUrl: string; authzenUrl: string; apiKey: string; attributes: readonly FormAttribute[] }): Snippet[] {
  const key = `export SAFAX_API_KEY=${shellQuote(input.apiKey)}`;
  const auth = `-H "Authorization: Bearer $SAFAX_API_KEY"`;
  const authzen = authzenRequest(input.attributes);
  return [
    {
      id: 'xacml-json',
      title: 'curl — XACML JSON Profile',
      text: `${key}\ncurl -s -X POST ${shellQuote(input.pdpUrl)} \\\n  ${auth} \\\n  -H 'Content-Type: application/xacml+json' \\\n  -d ${shellQuote(xacmlJsonRequest(input.attributes))}`,
    },
    {
      id: 'xacml-xml',
      title: 'curl — XACML 3.0 XML',
      text: `${key}\ncurl -s -X POST ${shellQuote(input.pdpUrl)} \\\n  ${auth} \\\n  -H 'Content-Type: application/xacml+xml' \\\n  --data-binary @- <<'XACML'\n${xacmlXmlRequest(input.attributes)}\nXACML`,
    },
    {
      id: 'authzen',
      title: 'curl — OpenID AuthZEN 1.0',
      text: `${key}\n${authzen.omitted.length > 0 ? `# AuthZEN cannot carry ${authzen.omitted.join(', ')} (their datatype): use a XACML format for them.\n` : ''}curl -s -X POST ${shellQuote(input.authzenUrl)} \\\n  ${auth} \\\n  -H 'Content-Type: application/json' \\\n  -d ${shellQuote(authzen.body)}`,
    },
    { id: 'sdk', title: 'TypeScript — @safax/pep SDK', text: sdkSnippet(input.pdpUrl, input.attributes) },
  ];
}
