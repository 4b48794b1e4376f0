/**
 * XACML request context in XML → `XacmlRequest`. Reads XACML 3.0 requests and, by the root
 * element's namespace, XACML 2.0 requests (translated in `xml-request-v2.ts`).
 *
 * Every structural problem of the document is collected, each with the path and line of the
 * element at fault, and thrown together as one `XacmlError` of kind 'request'.
 * Deliberate leniency: the booleans ReturnPolicyIdList, CombinedDecision and IncludeInResult,
 * required by the schema, default to false when absent; a Request without any Attributes is
 * accepted (every designator then finds an empty bag); attributes the model does not know
 * (xsi:schemaLocation...) are ignored. Unknown child elements are refused.
 */
import type { Document } from '@xmldom/xmldom';
import { IssueCollector } from '../model/errors';
import { XACML2_CONTEXT_NS, XACML3_NS } from '../model/identifiers';
import type { RequestAttribute, RequestCategory, RequestReference, XacmlRequest } from '../model/request';
import type { AttributeValue } from '../model/values';
import type { ParseLimits } from '../pdp-types';
import { withDefaults } from '../xml/limits';
import { readXml, type XmlElement } from '../xml/xml-reader';
import { contentDocument } from './content-document';
import { attributePath, readBoolean, readXmlAttributeValue, requiredAttr, unexpected } from './xml-helpers';
import { translateV2Request } from './xml-request-v2';

export interface ParseRequestXmlOptions {
  readonly limits?: Partial<ParseLimits>;
}

export function parseRequestXml(text: string, options?: ParseRequestXmlOptions): XacmlRequest {
  const root = readXml(text, 'request', withDefaults(options?.limits));
  const issues = new IssueCollector('request');
  let request: XacmlRequest | undefined;
  if (root.name === 'Request' && root.ns === XACML3_NS) request = readRequest(root, issues);
  else if (root.name === 'Request' && root.ns === XACML2_CONTEXT_NS) request = translateV2Request(root, issues);
  else {
    issues.add(
      'invalid-structure',
      `/${root.name}`,
      `expected a Request element in namespace ${XACML3_NS} (or ${XACML2_CONTEXT_NS}), found ${root.ns ? `{${root.ns}}` : ''}${root.name}`,
      root.line,
    );
  }
  issues.throwIfAny();
  return request!;
}

function readRequest(el: XmlElement, issues: IssueCollector): XacmlRequest {
  const path = '/Request';
  const returnPolicyIdList = readBoolean(el, 'ReturnPolicyIdList', path, issues);
  const combinedDecision = readBoolean(el, 'CombinedDecision', path, issues);
  const categories: RequestCategory[] = [];
  let multiRequests: RequestReference[] | undefined;
  let xpathVersion: string | undefined;
  const seen = new Map<string, number>();

  for (const child of el.children) {
    const index = bump(seen, child.name);
    if (child.ns !== XACML3_NS) {
      unexpected(child, path, issues);
      continue;
    }
    switch (child.name) {
      case 'Attributes':
        categories.push(readAttributes(child, `${path}/Attributes[${index}]`, issues));
        break;
      case 'RequestDefaults':
        if (index > 1) issues.add('invalid-structure', `${path}/RequestDefaults[${index}]`, 'at most one RequestDefaults is allowed', child.line);
        else xpathVersion = readRequestDefaults(child, `${path}/RequestDefaults`, issues);
        break;
      case 'MultiRequests':
        if (index > 1) issues.add('invalid-structure', `${path}/MultiRequests[${index}]`, 'at most one MultiRequests is allowed', child.line);
        else multiRequests = readMultiRequests(child, `${path}/MultiRequests`, issues);
        break;
      default:
        unexpected(child, path, issues);
    }
  }
  checkReferences(categories, multiRequests, issues, el);
  return {
    returnPolicyIdList,
    combinedDecision,
    categories,
    ...(multiRequests ? { multiRequests } : {}),
    ...(xpathVersion !== undefined ? { xpathVersion } : {}),
  };
}

function readRequestDefaults(el: XmlElement, path: string, issues: IssueCollector): string | undefined {
  let version: string | undefined;
  for (const child of el.children) {
    if (child.ns === XACML3_NS && child.name === 'XPathVersion' && version === undefined) {
      version = child.text.trim();
      if (version === '') issues.add('invalid-structure', `${path}/XPathVersion`, 'XPathVersion must not be empty', child.line);
    } else unexpected(child, path, issues);
  }
  return version;
}

/** An `<Attributes>` element (of a request, or of a result echoing IncludeInResult attributes). */
export function readAttributes(el: XmlElement, path: string, issues: IssueCollector): RequestCategory {
  const category = requiredAttr(el, 'Category', path, issues);
  const xmlId = el.attrs['xml:id'];
  const attributes: RequestAttribute[] = [];
  let content: Document | undefined;
  let contentCount = 0;
  let attributeIndex = 0;
  for (const child of el.children) {
    if (child.ns === XACML3_NS && child.name === 'Attribute') {
      attributeIndex++;
      const attr = readAttribute(child, attributePath(path, child, attributeIndex), issues);
      if (attr) attributes.push(attr);
    } else if (child.ns === XACML3_NS && child.name === 'Content') {
      contentCount++;
      if (contentCount > 1) issues.add('invalid-structure', `${path}/Content[${contentCount}]`, 'at most one Content is allowed per Attributes', child.line);
      else content = contentDocument(child, issues, `${path}/Content`);
    } else unexpected(child, path, issues);
  }
  return {
    category,
    ...(xmlId !== undefined ? { xmlId } : {}),
    attributes,
    ...(content ? { content } : {}),
  };
}


function readAttribute(el: XmlElement, path: string, issues: IssueCollector): RequestAttribute | undefined {
  const attributeId = requiredAttr(el, 'AttributeId', path, issues);
  const issuer = el.attrs.Issuer;
  const includeInResult = readBoolean(el, 'IncludeInResult', path, issues);
  const values: AttributeValue[] = [];
  let valueIndex = 0;
  for (const child of el.children) {
    if (child.ns === XACML3_NS && child.name === 'AttributeValue') {
      valueIndex++;
      const value = readXmlAttributeValue(child, `${path}/AttributeValue[${valueIndex}]`, issues);
      if (value) values.push(value);
    } else unexpected(child, path, issues);
  }
  if (valueIndex === 0) issues.add('invalid-structure', path, 'an Attribute needs at least one AttributeValue', el.line);
  if (attributeId === '') return undefined;
  return { attributeId, ...(issuer !== undefined ? { issuer } : {}), includeInResult, values };
}


function readMultiRequests(el: XmlElement, path: string, issues: IssueCollector): RequestReference[] {
  const refs: RequestReference[] = [];
  let index = 0;
  for (const child of el.children) {
    if (child.ns !== XACML3_NS || child.name !== 'RequestReference') {
      unexpected(child, path, issues);
      continue;
    }
    index++;
    const refPath = `${path}/RequestReference[${index}]`;
    const ids: string[] = [];
    let refIndex = 0;
    for (const ref of child.children) {
      if (ref.ns !== XACML3_NS || ref.name !== 'AttributesReference') {
        unexpected(ref, refPath, issues);
        continue;
      }
      refIndex++;
      const id = requiredAttr(ref, 'ReferenceId', `${refPath}/AttributesReference[${refIndex}]`, issues);
      if (id !== '') ids.push(id);
    }
    if (refIndex === 0) issues.add('invalid-structure', refPath, 'a RequestReference needs at least one AttributesReference', child.line);
    refs.push({ referenceIds: ids });
  }
  if (index === 0) issues.add('invalid-structure', path, 'MultiRequests needs at least one RequestReference', el.line);
  return refs;
}

/** xml:id values must be unique and every ReferenceId must name one. */
function checkReferences(
  categories: readonly RequestCategory[],
  multiRequests: readonly RequestReference[] | undefined,
  issues: IssueCollector,
  root: XmlElement,
): void {
  const ids = new Set<string>();
  categories.forEach((c, i) => {
    if (c.xmlId === undefined) return;
    if (ids.has(c.xmlId)) issues.add('duplicate-id', `/Request/Attributes[${i + 1}]`, `xml:id "${c.xmlId}" is used by another Attributes element`);
    ids.add(c.xmlId);
  });
  multiRequests?.forEach((ref, i) => {
    for (const id of ref.referenceIds) {
      if (!ids.has(id)) {
        issues.add('undefined-reference', `/Request/MultiRequests/RequestReference[${i + 1}]`, `no Attributes element has xml:id "${id}"`, root.line);
      }
    }
  });
}




function bump(counts: Map<string, number>, key: string): number {
  const n = (counts.get(key) ?? 0) + 1;
  counts.set(key, n);
  return n;
}
