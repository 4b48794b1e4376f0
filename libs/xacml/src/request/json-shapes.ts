/**
 * Strict readers for JSON Profile objects: every member is known, typed and non-null, or the
 * document is refused with the member's path. Shared by the request and response readers.
 */
import type { IssueCollector } from '../model/errors';
import { isJsonObject, type JsonObject, type JsonValue } from './json-text';

export class JsonShapeReader {
  constructor(readonly issues: IssueCollector) {}

  /** The value as an object whose member names all belong to `allowed`; undefined (with an issue) otherwise. */
  object(v: JsonValue | undefined, path: string, allowed: ReadonlySet<string> | ((key: string) => boolean)): JsonObject | undefined {
    if (!isJsonObject(v)) {
      this.issues.add('invalid-structure', path || '/', `expected an object, found ${describe(v)}`);
      return undefined;
    }
    const ok = typeof allowed === 'function' ? allowed : (k: string) => allowed.has(k);
    for (const key of Object.keys(v)) {
      if (!ok(key)) this.issues.add('invalid-structure', `${path}/${key}`, `unknown member "${key}"`);
    }
    return v;
  }

  string(obj: JsonObject, key: string, path: string, required: boolean): string | undefined {
    const v = own(obj, key);
    if (v === undefined) {
      if (required) this.issues.add('invalid-structure', path, `missing member "${key}"`);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.issues.add('invalid-structure', `${path}/${key}`, `expected a string, found ${describe(v)}`);
      return undefined;
    }
    if (required && v.trim() === '') {
      this.issues.add('invalid-structure', `${path}/${key}`, 'must not be empty');
      return undefined;
    }
    return v;
  }

  boolean(obj: JsonObject, key: string, path: string): boolean {
    const v = own(obj, key);
    if (v === undefined) return false;
    if (typeof v !== 'boolean') {
      this.issues.add('invalid-structure', `${path}/${key}`, `expected true or false, found ${describe(v)}`);
      return false;
    }
    return v;
  }

  /** An array member; `minItems` 1 refuses an empty array. */
  array(obj: JsonObject, key: string, path: string, minItems: 0 | 1): JsonValue[] | undefined {
    const v = own(obj, key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.issues.add('invalid-structure', `${path}/${key}`, `expected an array, found ${describe(v)}`);
      return undefined;
    }
    if (v.length < minItems) {
      this.issues.add('invalid-structure', `${path}/${key}`, 'must not be an empty array');
      return undefined;
    }
    return v;
  }

  /** A member that may be one object or an array of objects (JSON Profile shorthands); paths say which. */
  objects(obj: JsonObject, key: string, path: string, minItems: 0 | 1): { value: JsonValue; path: string }[] | undefined {
    const v = own(obj, key);
    if (v === undefined) return undefined;
    if (Array.isArray(v)) {
      if (v.length < minItems) {
        this.issues.add('invalid-structure', `${path}/${key}`, 'must not be an empty array');
        return undefined;
      }
      return v.map((item, i) => ({ value: item, path: `${path}/${key}[${i}]` }));
    }
    return [{ value: v, path: `${path}/${key}` }];
  }
}

export function own(obj: JsonObject, key: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function describe(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && !isJsonObject(v)) return 'a number';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
