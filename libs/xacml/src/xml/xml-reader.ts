/**
 * Stage 1 of parsing: XML text → a small immutable element tree with resolved namespaces.
 *
 * Untrusted input: DOCTYPE declarations (and so entity definitions and expansion) are refused
 * before parsing; size, depth, element count, attributes and namespace declarations per
 * element and prefixes in scope are bounded (the counts by a linear scan before parsing), and
 * each element's namespace map is built with one copy, so reading stays linear in the text. Comments and processing
 * instructions are dropped; element order is kept (it is significant in XACML).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XacmlError, type XacmlErrorKind } from '../model/errors';
import type { ParseLimits } from '../pdp-types';
import { DEFAULT_LIMITS, withDefaults, inScopeProblem, scanAttributeCounts } from './limits';

export interface XmlElement {
  /** Local name, without prefix. */
  readonly name: string;
  /** Namespace URI, '' when none. */
  readonly ns: string;
  /** Attributes by local name (namespace declarations excluded). */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated text of the element's own text nodes (not its descendants'). */
  readonly text: string;
  /** In-scope namespace declarations, prefix → URI ('' for the default namespace). */
  readonly namespaces: Readonly<Record<string, string>>;
  /** 1-based line of the start tag. */
  readonly line: number;
  /** Qualified name as written, for re-serialisation. */
  readonly qname: string;
  /** Attributes as written (qualified names, namespace declarations included). */
  readonly rawAttrs: Readonly<Record<string, string>>;
  /** Children and text nodes in document order, for re-serialisation. */
  readonly nodes: readonly (XmlElement | string)[];
}

type OrderedNode = Record<string, unknown>;

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // Entity references are decoded here in one pass (decodeEntities): the parser's own HTML
  // entity table costs as much as the parse itself, and two passes could decode `&amp;#65;` twice.
  processEntities: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  captureMetaData: true,
});

export function readXml(text: string, kind: XacmlErrorKind, given: Partial<ParseLimits> = DEFAULT_LIMITS): XmlElement {
  const limits = withDefaults(given);
  const fail = (code: 'malformed-xml' | 'forbidden-construct' | 'limit-exceeded', message: string, line?: number): never => {
    throw new XacmlError(kind, [line === undefined ? { code, path: '/', message } : { code, path: '/', message, line }]);
  };
  if (text.length > limits.maxBytes) fail('limit-exceeded', `document is ${text.length} characters; the limit is ${limits.maxBytes}`);
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) fail('forbidden-construct', 'DOCTYPE and entity declarations are not allowed');
  const crowded = scanAttributeCounts(text, limits);
  if (crowded) fail('limit-exceeded', crowded.message, crowded.line);

  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) fail('malformed-xml', `malformed XML: ${valid.err.msg}`, valid.err.line);

  let parsed: OrderedNode[];
  try {
    parsed = parser.parse(text) as OrderedNode[];
  } catch (e) {
    return fail('malformed-xml', `malformed XML: ${(e as Error).message}`);
  }
  const lineStarts = lineIndex(text);
  let count = 0;
  const decode = (s: string): string => {
    if (!s.includes('&')) return s;
    try {
      return decodeEntities(s);
    } catch (e) {
      return fail('malformed-xml', (e as Error).message);
    }
  };

  const build = (node: OrderedNode, depth: number, inherited: Readonly<Record<string, string>>): XmlElement => {
    if (depth > limits.maxDepth) fail('limit-exceeded', `elements nest deeper than ${limits.maxDepth}`);
    if (++count > limits.maxElements) fail('limit-exceeded', `more than ${limits.maxElements} elements`);
    const qname = Object.keys(node).find((k) => k !== ':@')!;
    const rawAttrs = (node[':@'] as Record<string, string> | undefined) ?? {};
    let namespaces = inherited;
    const attrs: Record<string, string> = {};
    let declared: Record<string, string> | undefined;
    for (const [k, v] of Object.entries(rawAttrs)) {
      if (k === 'xmlns') (declared ??= {})[''] = v;
      else if (k.startsWith('xmlns:')) (declared ??= {})[k.slice(6)] = v;
    }
    if (declared) {
      namespaces = { ...inherited, ...declared };
      const crowded = inScopeProblem(qname, Object.keys(namespaces).length, limits);
      if (crowded) fail('limit-exceeded', crowded);
    }
    for (const [k, raw] of Object.entries(rawAttrs)) {
      const v = decode(raw);
      rawAttrs[k] = v;
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      // xml:id keeps its prefix: it is a distinct, predefined attribute.
      attrs[k.startsWith('xml:') ? k : localName(k)] = v;
    }
    const prefix = qname.includes(':') ? qname.slice(0, qname.indexOf(':')) : '';
    const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[META];
    const line = meta?.startIndex === undefined ? 0 : lineOf(lineStarts, meta.startIndex);
    const children: XmlElement[] = [];
    const nodes: (XmlElement | string)[] = [];
    let ownText = '';
    for (const child of (node[qname] as OrderedNode[] | undefined) ?? []) {
      if ('#text' in child || '#cdata' in child) {
        // CDATA is literal text: no entity decoding.
        const t = '#text' in child ? decode(String(child['#text'])) : String((child['#cdata'] as { '#text'?: unknown }[])[0]?.['#text'] ?? '');
        ownText += t;
        nodes.push(t);
      } else {
        const el = build(child, depth + 1, namespaces);
        children.push(el);
        nodes.push(el);
      }
    }
    return {
      name: localName(qname),
      ns: namespaces[prefix] ?? '',
      attrs,
      children,
      text: ownText,
      namespaces,
      line,
      qname,
      rawAttrs,
      nodes,
    };
  };

  const roots = parsed.filter((n) => !('#text' in n) && !Object.keys(n).some((k) => k.startsWith('?')));
  if (roots.length !== 1) fail('malformed-xml', 'a document must have exactly one root element');
  return build(roots[0]!, 1, { xml: 'http://www.w3.org/XML/1998/namespace' });
}

const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos)|([^;\s]*));?/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references; anything else is malformed. */
function decodeEntities(s: string): string {
  return s.replace(ENTITY, (whole, hex?: string, dec?: string, named?: string, other?: string) => {
    if (!whole.endsWith(';') || other !== undefined) throw new TypeError(`malformed XML: undefined or unterminated entity reference "${whole.slice(0, 20)}"`);
    if (named) return NAMED[named]!;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new TypeError(`malformed XML: invalid character reference "${whole}"`);
    return String.fromCodePoint(code);
  });
}

export function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/** Re-serialises an element with every in-scope namespace declared on it, so it stands alone. */
export function serializeElement(el: XmlElement): string {
  const declared = new Set(Object.keys(el.rawAttrs));
  let out = `<${el.qname}`;
  for (const [prefix, uri] of Object.entries(el.namespaces)) {
    if (prefix === 'xml') continue;
    const attr = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
    if (!declared.has(attr)) out += ` ${attr}="${escapeXml(uri)}"`;
  }
  for (const [k, v] of Object.entries(el.rawAttrs)) out += ` ${k}="${escapeXml(v)}"`;
  if (el.nodes.length === 0) return `${out}/>`;
  out += '>';
  for (const n of el.nodes) out += typeof n === 'string' ? escapeXml(n) : serializeChild(n);
  return `${out}</${el.qname}>`;
}

function serializeChild(el: XmlElement): string {
  let out = `<${el.qname}`;
  for (const [k, v] of Object.entries(el.rawAttrs)) out += ` ${k}="${escapeXml(v)}"`;
  if (el.nodes.length === 0) return `${out}/>`;
  out += '>';
  for (const n of el.nodes) out += typeof n === 'string' ? escapeXml(n) : serializeChild(n);
  return `${out}</${el.qname}>`;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

function lineIndex(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
