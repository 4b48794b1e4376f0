/**
 * Bounded JSON reading for untrusted JSON Profile documents. The text parser checks every limit
 * (size, depth, members per object, array items, string length) while it reads, so an
 * oversized document is refused before it is built; it also refuses duplicate member names
 * (which readers resolve differently) and keeps each number's source text, so `1.0` stays a
 * double and big integers keep their digits. Values that arrive already parsed (an HTTP
 * framework's body) are checked against the same limits by `checkJsonLimits`.
 */
import { XacmlError, type XacmlErrorKind } from '../model/errors';

export interface JsonLimits {
  /** Characters of the document text. */
  readonly maxBytes: number;
  /** Nesting of objects and arrays (a flat object is depth 1). */
  readonly maxDepth: number;
  /** Members of one object. */
  readonly maxKeys: number;
  /** Items of one array. */
  readonly maxArrayItems: number;
  /** Characters of one string value or member name. */
  readonly maxStringLength: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = Object.freeze({
  maxBytes: 5 * 1024 * 1024,
  maxDepth: 32,
  maxKeys: 256,
  maxArrayItems: 10_000,
  maxStringLength: 1024 * 1024,
});

export function withJsonDefaults(limits?: Partial<JsonLimits>): JsonLimits {
  return { ...DEFAULT_JSON_LIMITS, ...limits };
}

/** A number as written in the source text. */
export class JsonNumber {
  constructor(readonly text: string) {}
  get value(): number {
    return Number(this.text);
  }
}

export type JsonValue = null | boolean | string | number | JsonNumber | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

export function isJsonNumber(v: unknown): v is number | JsonNumber {
  return typeof v === 'number' || v instanceof JsonNumber;
}

/** The source text of a number (for already-parsed numbers, JavaScript's shortest form). */
export function numberText(v: number | JsonNumber): string {
  return typeof v === 'number' ? String(v) : v.text;
}

class JsonReadError extends Error {
  constructor(
    readonly code: 'malformed-json' | 'limit-exceeded',
    message: string,
    readonly path: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Parses JSON text under `limits`; throws XacmlError(kind) with the path and line of the problem. */
export function parseJsonText(text: string, limits: JsonLimits, kind: XacmlErrorKind): JsonValue {
  if (text.length > limits.maxBytes) {
    throw new XacmlError(kind, [{ code: 'limit-exceeded', path: '/', message: `document is ${text.length} characters; the limit is ${limits.maxBytes}` }]);
  }
  try {
    return new TextReader(text, limits).document();
  } catch (e) {
    if (e instanceof JsonReadError) {
      const line = e.offset === undefined ? undefined : lineAt(text, e.offset);
      throw new XacmlError(kind, [line === undefined ? { code: e.code, path: e.path, message: e.message } : { code: e.code, path: e.path, message: e.message, line }]);
    }
    throw e;
  }
}

class TextReader {
  private pos = 0;
  private readonly path: (string | number)[] = [];

  constructor(
    private readonly text: string,
    private readonly limits: JsonLimits,
  ) {}

  document(): JsonValue {
    this.skipWs();
    const v = this.value(0);
    this.skipWs();
    if (this.pos < this.text.length) this.fail('malformed-json', 'unexpected text after the JSON value');
    return v;
  }

  private value(depth: number): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x7b /* { */:
        return this.object(depth + 1);
      case 0x5b /* [ */:
        return this.array(depth + 1);
      case 0x22 /* " */:
        return this.string();
      case 0x74 /* t */:
        return this.literal('true', true);
      case 0x66 /* f */:
        return this.literal('false', false);
      case 0x6e /* n */:
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail('malformed-json', Number.isNaN(c) ? 'unexpected end of the document' : `unexpected character ${JSON.stringify(this.text[this.pos])}`);
    }
  }

  private object(depth: number): JsonObject {
    if (depth > this.limits.maxDepth) this.fail('limit-exceeded', `objects and arrays nest deeper than ${this.limits.maxDepth}`);
    this.pos++;
    const out: JsonObject = {};
    let count = 0;
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail('malformed-json', 'expected a member name in double quotes');
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(out, key)) this.fail('malformed-json', `duplicate member "${key}"`);
      if (++count > this.limits.maxKeys) this.fail('limit-exceeded', `an object has more than ${this.limits.maxKeys} members`);
      this.skipWs();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail('malformed-json', 'expected ":" after a member name');
      this.pos++;
      this.skipWs();
      this.path.push(key);
      const value = this.value(depth);
      // A member named __proto__ must stay a plain member, not set the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
      this.path.pop();
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x7d) return out;
      if (c !== 0x2c) this.fail('malformed-json', 'expected "," or "}" in an object', this.pos - 1);
      this.skipWs();
    }
  }

  private array(depth: number): JsonValue[] {
    if (depth > this.limits.maxDepth) this.fail('limit-exceeded', `objects and arrays nest deeper than ${this.limits.maxDepth}`);
    this.pos++;
    const out: JsonValue[] = [];
    this.skipWs();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      if (out.length >= this.limits.maxArrayItems) this.fail('limit-exceeded', `an array has more than ${this.limits.maxArrayItems} items`);
      this.path.push(out.length);
      out.push(this.value(depth));
      this.path.pop();
      this.skipWs();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x5d) return out;
      if (c !== 0x2c) this.fail('malformed-json', 'expected "," or "]" in an array', this.pos - 1);
      this.skipWs();
    }
  }

  private string(): string {
    const text = this.text;
    const start = ++this.pos;
    let i = start;
    // Fast path: no escapes.
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        this.checkLength(i - start);
        this.pos = i + 1;
        return text.slice(start, i);
      }
      if (c === 0x5c) break;
      if (c < 0x20 || Number.isNaN(c)) this.fail('malformed-json', Number.isNaN(c) ? 'unterminated string' : 'control character in a string', i);
      i++;
    }
    let out = text.slice(start, i);
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (Number.isNaN(c)) this.fail('malformed-json', 'unterminated string', i);
      if (c < 0x20) this.fail('malformed-json', 'control character in a string', i);
      if (c === 0x5c) {
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('malformed-json', 'invalid \\u escape', i);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            this.fail('malformed-json', 'invalid escape in a string', i - 2);
        }
      } else {
        out += text[i];
        i++;
      }
      if (out.length > this.limits.maxStringLength) this.checkLength(out.length);
    }
    this.checkLength(out.length);
    this.pos = i + 1;
    return out;
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m || m[0] === '-') return this.fail('malformed-json', 'invalid number');
    this.checkLength(m[0].length);
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail('malformed-json', `unexpected character ${JSON.stringify(this.text[this.pos])}`);
    this.pos += word.length;
    return value;
  }

  private checkLength(n: number): void {
    if (n > this.limits.maxStringLength) this.fail('limit-exceeded', `a string is longer than ${this.limits.maxStringLength} characters`);
  }

  private skipWs(): void {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.pos = i;
  }

  private fail(code: 'malformed-json' | 'limit-exceeded', message: string, offset = this.pos): never {
    throw new JsonReadError(code, code === 'malformed-json' ? `malformed JSON: ${message}` : message, jsonPath(this.path), offset);
  }
}

/**
 * Checks an already-parsed value (e.g. an HTTP body) against `limits` and against the JSON data
 * model (no undefined, functions, NaN...). Throws XacmlError(kind).
 */
export function checkJsonLimits(value: unknown, limits: JsonLimits, kind: XacmlErrorKind): asserts value is JsonValue {
  // Paths are rebuilt from parent links only when something is wrong.
  interface Entry {
    readonly v: unknown;
    readonly depth: number;
    readonly parent?: Entry;
    readonly key?: string | number;
  }
  const fail = (code: 'malformed-json' | 'limit-exceeded', at: Entry, message: string): never => {
    const segments: (string | number)[] = [];
    for (let e: Entry | undefined = at; e?.key !== undefined; e = e.parent) segments.unshift(e.key);
    throw new XacmlError(kind, [{ code, path: jsonPath(segments), message }]);
  };
  const stack: Entry[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const { v, depth } = entry;
    if (v === null || typeof v === 'boolean') continue;
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) fail('limit-exceeded', entry, `a string is longer than ${limits.maxStringLength} characters`);
      continue;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail('malformed-json', entry, 'not a finite JSON number');
      continue;
    }
    if (v instanceof JsonNumber) continue;
    if (typeof v !== 'object') fail('malformed-json', entry, `a ${typeof v} is not a JSON value`);
    if (depth + 1 > limits.maxDepth) fail('limit-exceeded', entry, `objects and arrays nest deeper than ${limits.maxDepth}`);
    if (Array.isArray(v)) {
      if (v.length > limits.maxArrayItems) fail('limit-exceeded', entry, `an array has more than ${limits.maxArrayItems} items`);
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], depth: depth + 1, parent: entry, key: i });
    } else {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) fail('malformed-json', entry, 'not a plain JSON object');
      const keys = Object.keys(v as object);
      if (keys.length > limits.maxKeys) fail('limit-exceeded', entry, `an object has more than ${limits.maxKeys} members`);
      for (const k of keys) {
        if (k.length > limits.maxStringLength) fail('limit-exceeded', entry, `a member name is longer than ${limits.maxStringLength} characters`);
        stack.push({ v: (v as Record<string, unknown>)[k], depth: depth + 1, parent: entry, key: k });
      }
    }
  }
}

/** Reads `input` (JSON text or an already-parsed value) under `limits`. */
export function readJson(input: string | unknown, limits: JsonLimits, kind: XacmlErrorKind): JsonValue {
  if (typeof input === 'string') return parseJsonText(input, limits, kind);
  checkJsonLimits(input, limits, kind);
  return input;
}

/** `/Request/Category[0]/Attribute[1]` from ['Request', 'Category', 0, 'Attribute', 1]. */
export function jsonPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : `/${s}`;
  return out === '' ? '/' : out;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
