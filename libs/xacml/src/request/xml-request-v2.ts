/**
 * XACML 2.0 request context (namespace urn:oasis:names:tc:xacml:2.0:context:schema:os) → the
 * 3.0 request model. Subject/Resource/Action/Environment become Attributes of the matching
 * category; the datatype moves from Attribute to each value; ResourceContent becomes Content.
 * Several Resource elements become repeated categories, which the Multiple Decision Profile
 * expansion handles like in 3.0. Several Subject elements with the same SubjectCategory are one
 * subject described in parts (2.0 §6.2): their attributes merge into one category.
 */
import type { Document } from '@xmldom/xmldom';
import type { IssueCollector } from '../model/errors';
import { CATEGORY, XACML2_CONTEXT_NS } from '../model/identifiers';
import type { RequestAttribute, RequestCategory, XacmlRequest } from '../model/request';
import type { AttributeValue } from '../model/values';
import type { XmlElement } from '../xml/xml-reader';
import { contentDocument, elementDocument } from './content-document';
import { readXmlAttributeValue, requiredAttr } from './xml-helpers';

const FIXED_CATEGORY: Readonly<Record<string, string>> = {
  Resource: CATEGORY.resource,
  Action: CATEGORY.action,
  Environment: CATEGORY.environment,
};

export function translateV2Request(el: XmlElement, issues: IssueCollector): XacmlRequest {
  const path = '/Request';
  const categories: RequestCategory[] = [];
  const counts: Record<string, number> = {};
  /** Subject category → its position in `categories`. */
  const subjects = new Map<string, number>();
  for (const child of el.children) {
    const index = (counts[child.name] = (counts[child.name] ?? 0) + 1);
    const childPath = `${path}/${child.name}[${index}]`;
    if (child.ns !== XACML2_CONTEXT_NS || !(child.name === 'Subject' || child.name in FIXED_CATEGORY)) {
      issues.add('invalid-structure', `${path}/${child.name}`, `unexpected element ${child.name} in a XACML 2.0 request`, child.line);
      continue;
    }
    const category = child.name === 'Subject' ? (child.attrs.SubjectCategory?.trim() || CATEGORY.accessSubject) : FIXED_CATEGORY[child.name]!;
    const read = readCategory(child, category, childPath, issues);
    const earlier = child.name === 'Subject' ? subjects.get(category) : undefined;
    if (earlier === undefined) {
      if (child.name === 'Subject') subjects.set(category, categories.length);
      categories.push(read);
    } else {
      const merged = categories[earlier]!;
      categories[earlier] = { ...merged, attributes: [...merged.attributes, ...read.attributes] };
    }
  }
  // The 2.0 schema requires at least one Resource and exactly one Action and Environment.
  if (!counts.Resource) issues.add('invalid-structure', path, 'a XACML 2.0 Request needs at least one Resource', el.line);
  for (const name of ['Action', 'Environment']) {
    if (counts[name] !== 1) issues.add('invalid-structure', path, `a XACML 2.0 Request needs exactly one ${name}, found ${counts[name] ?? 0}`, el.line);
  }
  let context: Document | undefined | null = null;
  const v2Context = (): Document | undefined => {
    // Only the string-typed XPath functions read it: parsed once, on first use.
    if (context === null) context = elementDocument(el);
    return context;
  };
  return { returnPolicyIdList: false, combinedDecision: false, categories, v2Context };
}

function readCategory(el: XmlElement, category: string, path: string, issues: IssueCollector): RequestCategory {
  const attributes: RequestAttribute[] = [];
  let content: Document | undefined;
  let attributeIndex = 0;
  for (const child of el.children) {
    if (child.ns === XACML2_CONTEXT_NS && child.name === 'Attribute') {
      attributeIndex++;
      const id = child.attrs.AttributeId;
      const attrPath = id === undefined ? `${path}/Attribute[${attributeIndex}]` : `${path}/Attribute[@AttributeId="${id}"]`;
      const attr = readAttribute(child, attrPath, issues);
      if (attr) attributes.push(attr);
    } else if (child.ns === XACML2_CONTEXT_NS && child.name === 'ResourceContent' && el.name === 'Resource' && content === undefined) {
      content = contentDocument(child, issues, `${path}/ResourceContent`);
    } else {
      issues.add('invalid-structure', `${path}/${child.name}`, `unexpected element ${child.name} in ${el.name}`, child.line);
    }
  }
  return { category, attributes, ...(content ? { content } : {}) };
}

function readAttribute(el: XmlElement, path: string, issues: IssueCollector): RequestAttribute | undefined {
  const attributeId = requiredAttr(el, 'AttributeId', path, issues);
  const datatype = requiredAttr(el, 'DataType', path, issues);
  const issuer = el.attrs.Issuer;
  const values: AttributeValue[] = [];
  let index = 0;
  for (const child of el.children) {
    if (child.ns !== XACML2_CONTEXT_NS || child.name !== 'AttributeValue') {
      issues.add('invalid-structure', `${path}/${child.name}`, `unexpected element ${child.name} in Attribute`, child.line);
      continue;
    }
    index++;
    if (datatype === '') continue;
    const value = readXmlAttributeValue(child, `${path}/AttributeValue[${index}]`, issues, datatype);
    if (value) values.push(value);
  }
  if (index === 0) issues.add('invalid-structure', path, 'an Attribute needs at least one AttributeValue', el.line);
  if (attributeId === '' || datatype === '') return undefined;
  return { attributeId, ...(issuer !== undefined ? { issuer } : {}), includeInResult: false, values };
}
