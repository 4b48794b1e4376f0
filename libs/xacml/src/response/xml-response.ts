/**
 * XACML 3.0 response context in XML: `serializeResponseXml` writes what the PDP returns;
 * `parseResponseXml` reads responses back (conformance tests, SDK clients).
 *
 * The reader is tolerant where expected files are not schema-valid (attributes it does not
 * know, such as FulfillOn or a 2.0 ResourceId, and elements of other namespaces are ignored),
 * but refuses unknown XACML elements and missing required parts.
 */
import { IssueCollector } from '../model/errors';
import { DT, STATUS, XACML3_NS } from '../model/identifiers';
import type { RequestCategory } from '../model/request';
import type { AttributeAssignment, Decision, IdReference, PepAction, PolicyIdentifierList, XacmlResponse, XacmlResult } from '../model/response';
import type { MissingAttributeDetail, Status } from '../model/status';
import type { AttributeValue } from '../model/values';
import type { ParseLimits } from '../pdp-types';
import type { XPathExpressionValue } from '../datatypes/xpath-expression';
import { readAttributes } from '../request/xml-request';
import { readXmlAttributeValue, requiredAttr } from '../request/xml-helpers';
import { withDefaults } from '../xml/limits';
import { readXml, type XmlElement } from '../xml/xml-reader';

// ---------------------------------------------------------------------------------------------
// Writing

export function serializeResponseXml(res: XacmlResponse): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<Response xmlns="${XACML3_NS}">`;
  for (const r of res.results) out += writeResult(r);
  return `${out}</Response>`;
}

function writeResult(r: XacmlResult): string {
  let out = `<Result><Decision>${r.decision}</Decision>${writeStatus(r.status)}`;
  if (r.obligations.length > 0) out += `<Obligations>${r.obligations.map((o) => writePepAction('Obligation', 'ObligationId', o)).join('')}</Obligations>`;
  if (r.advice.length > 0) out += `<AssociatedAdvice>${r.advice.map((a) => writePepAction('Advice', 'AdviceId', a)).join('')}</AssociatedAdvice>`;
  for (const c of r.attributes) out += writeAttributes(c);
  if (r.policyIdentifiers) out += writePolicyIdentifiers(r.policyIdentifiers);
  return `${out}</Result>`;
}

function writeStatus(s: Status): string {
  let code = `<StatusCode Value="${attr(s.code)}"`;
  code += s.subCode === undefined ? '/>' : `><StatusCode Value="${attr(s.subCode)}"/></StatusCode>`;
  let out = `<Status>${code}`;
  if (s.message !== undefined) out += `<StatusMessage>${text(s.message)}</StatusMessage>`;
  if (s.missingAttributes && s.missingAttributes.length > 0) {
    out += '<StatusDetail>';
    for (const m of s.missingAttributes) {
      out += `<MissingAttributeDetail Category="${attr(m.category)}" AttributeId="${attr(m.attributeId)}" DataType="${attr(m.datatype)}"`;
      out += m.issuer === undefined ? '/>' : ` Issuer="${attr(m.issuer)}"/>`;
    }
    out += '</StatusDetail>';
  }
  return `${out}</Status>`;
}

function writePepAction(element: string, idAttr: string, a: PepAction): string {
  if (a.assignments.length === 0) return `<${element} ${idAttr}="${attr(a.id)}"/>`;
  let out = `<${element} ${idAttr}="${attr(a.id)}">`;
  for (const x of a.assignments) {
    let open = `<AttributeAssignment AttributeId="${attr(x.attributeId)}"`;
    if (x.category !== undefined) open += ` Category="${attr(x.category)}"`;
    if (x.issuer !== undefined) open += ` Issuer="${attr(x.issuer)}"`;
    out += writeValue('AttributeAssignment', open, x.value);
  }
  return `${out}</${element}>`;
}

function writeAttributes(c: RequestCategory): string {
  let out = `<Attributes Category="${attr(c.category)}"${c.xmlId === undefined ? '' : ` xml:id="${attr(c.xmlId)}"`}>`;
  for (const a of c.attributes) {
    out += `<Attribute AttributeId="${attr(a.attributeId)}"${a.issuer === undefined ? '' : ` Issuer="${attr(a.issuer)}"`} IncludeInResult="true">`;
    for (const v of a.values) out += writeValue('AttributeValue', '<AttributeValue', v);
    out += '</Attribute>';
  }
  return `${out}</Attributes>`;
}

/** `open` is the start tag so far; adds DataType (and XPathCategory + namespaces for XPath values). */
function writeValue(element: string, open: string, v: AttributeValue): string {
  let tag = `${open} DataType="${attr(v.datatype.id)}"`;
  if (v.datatype.id === DT.xpathExpression) {
    const x = v.value as XPathExpressionValue;
    tag += ` XPathCategory="${attr(x.category)}"`;
    // The default namespace stays XACML's: unprefixed XPath names never use it anyway.
    for (const [prefix, uri] of Object.entries(x.namespaces)) {
      if (prefix !== '' && prefix !== 'xml' && /^[A-Za-z_][\w.-]*$/.test(prefix)) tag += ` xmlns:${prefix}="${attr(uri)}"`;
    }
  }
  return `${tag}>${text(v.datatype.format(v.value))}</${element}>`;
}

function writePolicyIdentifiers(p: PolicyIdentifierList): string {
  const ref = (element: string, r: IdReference): string =>
    `<${element}${r.version === '' ? '' : ` Version="${attr(r.version)}"`}>${text(r.id)}</${element}>`;
  return `<PolicyIdentifierList>${p.policies.map((r) => ref('PolicyIdReference', r)).join('')}${p.policySets
    .map((r) => ref('PolicySetIdReference', r))
    .join('')}</PolicyIdentifierList>`;
}

function text(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')).replace(/\r/g, '&#13;');
}

/** Attribute values also keep quotes and whitespace characters (which parsers would normalise). */
function attr(s: string): string {
  return s.replace(/[&<>"\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ---------------------------------------------------------------------------------------------
// Reading

const DECISIONS: ReadonlySet<string> = new Set<Decision>(['Permit', 'Deny', 'NotApplicable', 'Indeterminate']);

export interface ParseResponseXmlOptions {
  readonly limits?: Partial<ParseLimits>;
}

export function parseResponseXml(textIn: string, options?: ParseResponseXmlOptions): XacmlResponse {
  const root = readXml(textIn, 'document', withDefaults(options?.limits));
  const issues = new IssueCollector('document');
  const results: XacmlResult[] = [];
  if (root.name !== 'Response' || root.ns !== XACML3_NS) {
    issues.add('invalid-structure', `/${root.name}`, `expected a Response element in namespace ${XACML3_NS}`, root.line);
  } else {
    let index = 0;
    for (const child of xacmlChildren(root)) {
      if (child.name !== 'Result') {
        unknownElement(child, '/Response', issues);
        continue;
      }
      index++;
      const r = readResult(child, `/Response/Result[${index}]`, issues);
      if (r) results.push(r);
    }
    if (index === 0) issues.add('invalid-structure', '/Response', 'a Response needs at least one Result', root.line);
  }
  issues.throwIfAny();
  return { results };
}

function readResult(el: XmlElement, path: string, issues: IssueCollector): XacmlResult | undefined {
  let decision: Decision | undefined;
  let status: Status | undefined;
  const obligations: PepAction[] = [];
  const advice: PepAction[] = [];
  const attributes: RequestCategory[] = [];
  let policyIdentifiers: PolicyIdentifierList | undefined;
  let attributesIndex = 0;
  for (const child of xacmlChildren(el)) {
    switch (child.name) {
      case 'Decision': {
        const d = child.text.trim();
        if (DECISIONS.has(d)) decision = d as Decision;
        else issues.add('invalid-value', `${path}/Decision`, `unknown decision "${d}"`, child.line);
        break;
      }
      case 'Status':
        status = readStatus(child, `${path}/Status`, issues);
        break;
      case 'Obligations':
        obligations.push(...readPepActions(child, `${path}/Obligations`, 'Obligation', 'ObligationId', issues));
        break;
      case 'AssociatedAdvice':
        advice.push(...readPepActions(child, `${path}/AssociatedAdvice`, 'Advice', 'AdviceId', issues));
        break;
      case 'Attributes':
        attributesIndex++;
        attributes.push(readAttributes(child, `${path}/Attributes[${attributesIndex}]`, issues));
        break;
      case 'PolicyIdentifierList':
        policyIdentifiers = readPolicyIdentifiers(child, `${path}/PolicyIdentifierList`, issues);
        break;
      default:
        unknownElement(child, path, issues);
    }
  }
  if (decision === undefined) {
    if (!el.children.some((c) => c.name === 'Decision')) issues.add('invalid-structure', path, 'a Result needs a Decision', el.line);
    return undefined;
  }
  return {
    decision,
    // A missing Status means ok (XACML 3.0 §5.48).
    status: status ?? { code: STATUS.ok },
    obligations,
    advice,
    attributes,
    ...(policyIdentifiers ? { policyIdentifiers } : {}),
  };
}

function readStatus(el: XmlElement, path: string, issues: IssueCollector): Status {
  let code = '';
  let subCode: string | undefined;
  let message: string | undefined;
  const missing: MissingAttributeDetail[] = [];
  for (const child of xacmlChildren(el)) {
    if (child.name === 'StatusCode') {
      code = requiredAttr(child, 'Value', `${path}/StatusCode`, issues);
      const nested = child.children.find((c) => c.ns === XACML3_NS && c.name === 'StatusCode');
      if (nested) subCode = requiredAttr(nested, 'Value', `${path}/StatusCode/StatusCode`, issues);
    } else if (child.name === 'StatusMessage') {
      message = child.text;
    } else if (child.name === 'StatusDetail') {
      for (const d of child.children) {
        if (d.ns !== XACML3_NS || d.name !== 'MissingAttributeDetail') continue;
        const p = `${path}/StatusDetail/MissingAttributeDetail[${missing.length + 1}]`;
        const issuer = d.attrs.Issuer;
        missing.push({
          category: requiredAttr(d, 'Category', p, issues),
          attributeId: requiredAttr(d, 'AttributeId', p, issues),
          datatype: requiredAttr(d, 'DataType', p, issues),
          ...(issuer !== undefined ? { issuer } : {}),
        });
      }
    } else unknownElement(child, path, issues);
  }
  if (code === '' && !el.children.some((c) => c.name === 'StatusCode')) issues.add('invalid-structure', path, 'a Status needs a StatusCode', el.line);
  return {
    code,
    ...(subCode !== undefined ? { subCode } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(missing.length > 0 ? { missingAttributes: missing } : {}),
  };
}

function readPepActions(el: XmlElement, path: string, element: string, idAttr: string, issues: IssueCollector): PepAction[] {
  const out: PepAction[] = [];
  for (const child of xacmlChildren(el)) {
    if (child.name !== element) {
      unknownElement(child, path, issues);
      continue;
    }
    const id = child.attrs[idAttr];
    const p = id === undefined ? `${path}/${element}[${out.length + 1}]` : `${path}/${element}[@${idAttr}="${id}"]`;
    const assignments: AttributeAssignment[] = [];
    let index = 0;
    for (const a of xacmlChildren(child)) {
      if (a.name !== 'AttributeAssignment') {
        unknownElement(a, p, issues);
        continue;
      }
      index++;
      const ap = `${p}/AttributeAssignment[${index}]`;
      const attributeId = requiredAttr(a, 'AttributeId', ap, issues);
      const value = readXmlAttributeValue(a, ap, issues);
      if (value && attributeId !== '') {
        const { Category: category, Issuer: issuer } = a.attrs;
        assignments.push({ attributeId, ...(category !== undefined ? { category } : {}), ...(issuer !== undefined ? { issuer } : {}), value });
      }
    }
    out.push({ id: requiredAttr(child, idAttr, p, issues), assignments });
  }
  if (out.length === 0) issues.add('invalid-structure', path, `${el.name} needs at least one ${element}`, el.line);
  return out;
}

function readPolicyIdentifiers(el: XmlElement, path: string, issues: IssueCollector): PolicyIdentifierList {
  const policies: IdReference[] = [];
  const policySets: IdReference[] = [];
  for (const child of xacmlChildren(el)) {
    const list = child.name === 'PolicyIdReference' ? policies : child.name === 'PolicySetIdReference' ? policySets : undefined;
    if (!list) {
      unknownElement(child, path, issues);
      continue;
    }
    const id = child.text.trim();
    if (id === '') issues.add('invalid-structure', `${path}/${child.name}[${list.length + 1}]`, `${child.name} must name a policy`, child.line);
    list.push({ id, version: child.attrs.Version?.trim() ?? '' });
  }
  return { policies, policySets };
}

/** Children in the XACML namespace; others (extensions) are skipped, as a tolerant reader does. */
function xacmlChildren(el: XmlElement): XmlElement[] {
  return el.children.filter((c) => c.ns === XACML3_NS);
}

function unknownElement(el: XmlElement, parentPath: string, issues: IssueCollector): void {
  issues.add('invalid-structure', `${parentPath}/${el.name}`, `unexpected element ${el.name}`, el.line);
}
