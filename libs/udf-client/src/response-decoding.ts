/**
 * Reads a service's answer: finds the lexical values of a response parameter in the body, as
 * its declared location says (JSON pointer, XPath, form field, or the whole body).
 * Untrusted input: XML with a DOCTYPE is refused before parsing (no entities, no DTD).
 * Problems are DecodeError values: `bad-response` when the body cannot be read or the value is
 * not there, `wrong-type` when what is there is not a value (an object, a nested array).
 */
import { DOMParser, type Node } from '@xmldom/xmldom';
import xpath from 'xpath';
import type { ResponseLocation, ServiceDescriptor } from '@safax/contracts';

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly code: 'bad-response' | 'wrong-type',
    message: string,
  ) {
    super(message);
  }
}

/** A response body parsed once, read for each response parameter. */
export type ParsedBody =
  | { readonly format: 'json'; readonly text: string; readonly json: unknown }
  | { readonly format: 'xml'; readonly text: string; readonly doc: Node }
  | { readonly format: 'fields'; readonly text: string; readonly fields: URLSearchParams }
  | { readonly format: 'text'; readonly text: string };

export function parseBody(format: ServiceDescriptor['responseFormat'], text: string, contentType: string | undefined): ParsedBody {
  switch (format) {
    case 'json':
      try {
        return { format: 'json', text, json: JSON.parse(text) as unknown };
      } catch (e) {
        throw new DecodeError('bad-response', `the answer is not JSON (${(e as Error).message})${describeContentType(contentType)}`);
      }
    case 'xml':
      return { format: 'xml', text, doc: parseXml(text, contentType) };
    case 'query':
    case 'form':
      return { format: 'fields', text, fields: new URLSearchParams(text.trim()) };
  }
}

function describeContentType(ct: string | undefined): string {
  return ct ? ` [content-type ${ct.slice(0, 80)}]` : '';
}

function parseXml(text: string, contentType: string | undefined): Node {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw new DecodeError('bad-response', 'the XML answer has a DOCTYPE or entity declaration, which is refused');
  const problems: string[] = [];
  let doc: Node;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') problems.push(message);
      },
    }).parseFromString(text, 'text/xml');
  } catch (e) {
    problems.push((e as Error).message);
    doc = undefined as unknown as Node;
  }
  const root = (doc as { documentElement?: unknown } | undefined)?.documentElement;
  if (problems.length > 0 || root === null || root === undefined) {
    throw new DecodeError('bad-response', `the answer is not well-formed XML (${(problems[0] ?? 'no root element').split('\n')[0]})${describeContentType(contentType)}`);
  }
  return doc;
}

/** RFC 6901 pointer resolution; undefined when the pointer leads nowhere. */
export function resolvePointer(doc: unknown, pointer: string): { found: true; value: unknown } | { found: false } {
  if (pointer === '') return { found: true, value: doc };
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token) || Number(token) >= cur.length) return { found: false };
      cur = cur[Number(token)];
    } else if (cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, token)) {
      cur = (cur as Record<string, unknown>)[token];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: cur };
}

function scalarLexical(v: unknown, where: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new DecodeError('wrong-type', `${where} is not a finite number`);
    return String(v);
  }
  throw new DecodeError('wrong-type', `${where} is ${v === null ? 'null' : Array.isArray(v) ? 'an array' : `a JSON ${typeof v}`}, not a value`);
}

/** JSON: a scalar is one value, an array of scalars is several, null is none. */
function jsonValues(v: unknown, where: string): string[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v.map((item, i) => scalarLexical(item, `${where}[${i}]`));
  return [scalarLexical(v, where)];
}

/** The lexical values a location designates in a parsed body. */
export function extractValues(body: ParsedBody, location: ResponseLocation): string[] {
  switch (location.kind) {
    case 'body':
      if (body.format === 'json') return jsonValues(body.json, 'the answer');
      if (body.format === 'xml') return [textOf(body.doc).trim()];
      // A bag in a plain body: one value per non-empty line.
      return body.text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
    case 'json-pointer': {
      if (body.format !== 'json') throw new DecodeError('bad-response', 'a JSON pointer needs a JSON answer');
      const r = resolvePointer(body.json, location.pointer);
      if (!r.found) throw new DecodeError('bad-response', `the answer has no value at ${location.pointer || '(root)'}`);
      return jsonValues(r.value, location.pointer || 'the answer');
    }
    case 'xpath': {
      if (body.format !== 'xml') throw new DecodeError('bad-response', 'an XPath location needs an XML answer');
      let result: xpath.SelectReturnType;
      try {
        result = xpath.select(location.expression, body.doc as unknown as globalThis.Node);
      } catch (e) {
        throw new DecodeError('bad-response', `XPath ${location.expression} failed: ${(e as Error).message}`);
      }
      if (Array.isArray(result)) return result.map((n) => textOf(n as unknown as Node).trim());
      if (typeof result === 'boolean') return [result ? 'true' : 'false'];
      if (typeof result === 'number') return Number.isFinite(result) ? [String(result)] : [];
      if (typeof result === 'string') return [result];
      if (result === null) return [];
      return [textOf(result as unknown as Node).trim()];
    }
    case 'field': {
      if (body.format !== 'fields') throw new DecodeError('bad-response', 'a field location needs a query-string or form answer');
      if (!body.fields.has(location.name)) throw new DecodeError('bad-response', `the answer has no field "${location.name}"`);
      return body.fields.getAll(location.name);
    }
  }
}

function textOf(n: Node): string {
  const v = (n as { nodeValue?: string | null; textContent?: string | null; nodeType?: number });
  // Attributes and text nodes carry their value; elements and documents their text content.
  if (v.nodeType === 2 || v.nodeType === 3 || v.nodeType === 4) return v.nodeValue ?? '';
  return v.textContent ?? '';
}

/** Checks an XPath expression compiles (at client construction, not per call). */
export function xpathProblem(expression: string): string | undefined {
  try {
    const doc = new DOMParser().parseFromString('<x/>', 'text/xml');
    xpath.select(expression, doc as unknown as globalThis.Node);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
