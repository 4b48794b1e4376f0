/**
 * S3's XML both ways, on fast-xml-parser. Request bodies are validated as well-formed first
 * (the parser alone is lenient), DOCTYPEs are refused (no entity games), and every field the
 * gateway reads is checked for shape, so a bad document is MalformedXML and changes nothing.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error } from './errors';

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  removeNSPrefix: true,
  processEntities: true,
  isArray: (name) => name === 'Object' || name === 'Tag' || name === 'Part',
});

/** A response document: `{ Root: { ... } }` with the S3 namespace on the root. */
export function toXml(rootName: string, body: Record<string, unknown>): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + builder.build({ [rootName]: { '@_xmlns': S3_NS, ...body } });
}

export type XmlNode = Record<string, unknown>;

export function parseXml(body: Buffer, rootName: string): XmlNode {
  const text = body.toString('utf8');
  if (/<!DOCTYPE/i.test(text)) throw new S3Error('MalformedXML', 'The XML you provided has a DOCTYPE, which is not allowed');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new S3Error('MalformedXML', `The XML you provided was not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(text) as XmlNode;
  const root = doc[rootName];
  if (root === undefined) throw new S3Error('MalformedXML', `The XML you provided does not have the root element ${rootName}`);
  return typeof root === 'object' && root !== null ? (root as XmlNode) : {};
}

export function textOf(node: XmlNode, name: string): string | undefined {
  const v = node[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && Object.keys(v).length === 0) return '';
  throw new S3Error('MalformedXML', `<${name}> must hold text`);
}

export function nodesOf(node: XmlNode, name: string): XmlNode[] {
  const v = node[name];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new S3Error('MalformedXML', `<${name}> is malformed`);
  return v.map((x) => (typeof x === 'object' && x !== null ? (x as XmlNode) : {}));
}

export function childOf(node: XmlNode, name: string): XmlNode | undefined {
  const v = node[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new S3Error('MalformedXML', `<${name}> is malformed`);
  return v as XmlNode;
}
