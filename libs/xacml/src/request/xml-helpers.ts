/**
 * Small readers shared by the XML request and response parsers: required attributes,
 * xs:boolean attributes, attribute values with their datatype, and element paths.
 */
import type { IssueCollector } from '../model/errors';
import { DT, XACML3_NS } from '../model/identifiers';
import type { AttributeValue } from '../model/values';
import type { XmlElement } from '../xml/xml-reader';
import { canonicalDatatypeId, readAttributeValue } from './attribute-value';

export function attributePath(parent: string, el: XmlElement, index: number): string {
  const id = el.attrs.AttributeId;
  return id === undefined ? `${parent}/Attribute[${index}]` : `${parent}/Attribute[@AttributeId="${id}"]`;
}

/**
 * An `<AttributeValue DataType="...">` (or any element of the same shape, e.g. an
 * AttributeAssignment) → typed value. xpathExpression values take their XPathCategory and the
 * element's in-scope namespaces.
 */
export function readXmlAttributeValue(
  el: XmlElement,
  path: string,
  issues: IssueCollector,
  datatypeOverride?: string,
): AttributeValue | undefined {
  const datatype = datatypeOverride ?? requiredAttr(el, 'DataType', path, issues);
  if (datatype === '') return undefined;
  if (el.children.length > 0) {
    issues.add('invalid-structure', path, `an AttributeValue of datatype ${datatype} must hold text only, found element ${el.children[0]!.name}`, el.line);
    return undefined;
  }
  const isXPath = canonicalDatatypeId(datatype) === DT.xpathExpression;
  const xpathCategory = el.attrs.XPathCategory;
  if (isXPath && xpathCategory === undefined) {
    issues.add('invalid-structure', path, 'an xpathExpression value needs an XPathCategory attribute', el.line);
    return undefined;
  }
  const ctx = isXPath ? { namespaces: el.namespaces, xpathCategory: xpathCategory! } : undefined;
  return readAttributeValue(datatype, el.text, ctx, issues, path, el.line);
}

export function requiredAttr(el: XmlElement, name: string, path: string, issues: IssueCollector): string {
  const value = el.attrs[name];
  if (value === undefined || value.trim() === '') {
    issues.add('invalid-structure', path, `${el.name} needs a non-empty ${name} attribute`, el.line);
    return '';
  }
  return value;
}

/** xs:boolean: true/false/1/0 with surrounding whitespace; absent → false. */
export function readBoolean(el: XmlElement, name: string, path: string, issues: IssueCollector): boolean {
  const raw = el.attrs[name];
  if (raw === undefined) return false;
  const v = raw.trim();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  issues.add('invalid-value', path, `${name} must be true or false, found "${raw}"`, el.line);
  return false;
}

export function unexpected(el: XmlElement, parentPath: string, issues: IssueCollector): void {
  issues.add('invalid-structure', `${parentPath}/${el.name}`, `unexpected element ${el.ns && el.ns !== XACML3_NS ? `{${el.ns}}` : ''}${el.name}`, el.line);
}
