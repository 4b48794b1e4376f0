/**
 * JSON Profile 1.1 attribute values (§3.3): DataType shorthands, datatype inference when the
 * DataType is omitted, and xpathExpression values written as objects.
 *
 * Inference, as the profile states it: a JSON string is a string, true/false a boolean, a
 * number without fraction or exponent an integer, any other number a double, and an array of
 * integers and doubles a double. This reader also takes an array of strings and numbers as
 * strings (the numbers' text), and refuses any other mix (booleans or objects with anything
 * else) and any object without DataType xpathExpression, for which the profile says inference
 * must fail.
 */
import { DT } from '../model/identifiers';
import type { AttributeValue } from '../model/values';
import { canonicalDatatypeId, isKnownDatatype, readAttributeValue } from './attribute-value';
import { describe, type JsonShapeReader } from './json-shapes';
import { JsonNumber, isJsonNumber, isJsonObject, numberText, type JsonObject, type JsonValue } from './json-text';

/** JSON Profile shorthand datatype names → XACML datatype identifiers. */
export const DATATYPE_SHORTHANDS: Readonly<Record<string, string>> = {
  string: DT.string,
  boolean: DT.boolean,
  integer: DT.integer,
  double: DT.double,
  time: DT.time,
  date: DT.date,
  dateTime: DT.dateTime,
  dayTimeDuration: DT.dayTimeDuration,
  yearMonthDuration: DT.yearMonthDuration,
  anyURI: DT.anyURI,
  hexBinary: DT.hexBinary,
  base64Binary: DT.base64Binary,
  rfc822Name: DT.rfc822Name,
  x500Name: DT.x500Name,
  ipAddress: DT.ipAddress,
  dnsName: DT.dnsName,
  xpathExpression: DT.xpathExpression,
};

export function expandDatatype(id: string): string {
  return Object.prototype.hasOwnProperty.call(DATATYPE_SHORTHANDS, id) ? DATATYPE_SHORTHANDS[id]! : canonicalDatatypeId(id);
}

type Kind = 'string' | 'boolean' | 'integer' | 'double' | 'object';

const XPATH_MEMBERS = new Set(['XPathCategory', 'Namespaces', 'XPath']);
const NAMESPACE_MEMBERS = new Set(['Prefix', 'Namespace']);

/**
 * Reads the `Value` member (one value or an array) of an Attribute or AttributeAssignment.
 * `path` is the Value member's path, `datatypePath` the DataType member's. Returns the values and the datatype they have.
 */
export function readJsonValues(
  reader: JsonShapeReader,
  value: JsonValue,
  declaredType: string | undefined,
  path: string,
  datatypePath: string,
): { datatype: string; values: AttributeValue[] } | undefined {
  const issues = reader.issues;
  const items = Array.isArray(value) ? value : [value];
  const itemPath = (i: number): string => (Array.isArray(value) ? `${path}[${i}]` : path);

  const kinds: Kind[] = [];
  let bad = false;
  items.forEach((item, i) => {
    const k = kindOf(item);
    if (k === undefined) {
      issues.add('invalid-value', itemPath(i), `a value must be a string, number, boolean or object, found ${describe(item)}`);
      bad = true;
    } else kinds.push(k);
  });
  if (bad) return undefined;

  let datatype: string;
  if (declaredType !== undefined) {
    datatype = expandDatatype(declaredType);
    if (!isKnownDatatype(datatype)) {
      issues.add('unknown-datatype', datatypePath, `unknown datatype "${declaredType}"`);
      return undefined;
    }
  } else {
    const inferred = infer(kinds);
    if (typeof inferred !== 'string') {
      issues.add('invalid-value', path, inferred.error);
      return undefined;
    }
    datatype = inferred;
  }

  const values: AttributeValue[] = [];
  items.forEach((item, i) => {
    const v = readOne(reader, item, datatype, itemPath(i));
    if (v) values.push(v);
  });
  return { datatype, values };
}

function kindOf(v: JsonValue): Kind | undefined {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (isJsonNumber(v)) return /^-?[0-9]+$/.test(numberText(v)) ? 'integer' : 'double';
  if (isJsonObject(v)) return 'object';
  return undefined;
}

function infer(kinds: readonly Kind[]): string | { error: string } {
  const set = new Set(kinds);
  if (set.size === 0) return DT.string;
  if (set.has('object')) {
    return { error: 'an object value needs DataType xpathExpression (the JSON Profile gives no inference for objects)' };
  }
  if (set.size === 1) {
    const [only] = set;
    return only === 'boolean' ? DT.boolean : only === 'integer' ? DT.integer : only === 'double' ? DT.double : DT.string;
  }
  if (set.has('boolean')) return { error: 'the values mix booleans with other JSON types; give a DataType or one type of value' };
  if (set.has('string')) return DT.string;
  return DT.double;
}

function readOne(reader: JsonShapeReader, item: JsonValue, datatype: string, path: string): AttributeValue | undefined {
  const issues = reader.issues;
  if (datatype === DT.xpathExpression) {
    if (!isJsonObject(item)) {
      issues.add('invalid-value', path, `an xpathExpression value must be an object with XPathCategory and XPath, found ${describe(item)}`);
      return undefined;
    }
    return readXPathValue(reader, item, path);
  }
  let lexical: string;
  if (typeof item === 'string') lexical = item;
  else if (typeof item === 'boolean') {
    if (datatype !== DT.boolean && datatype !== DT.string) {
      issues.add('invalid-value', path, `a JSON boolean is not a value of datatype ${datatype}`);
      return undefined;
    }
    lexical = String(item);
  } else if (isJsonNumber(item)) {
    if (datatype !== DT.integer && datatype !== DT.double && datatype !== DT.string) {
      issues.add('invalid-value', path, `a JSON number is not a value of datatype ${datatype}; write it as a string`);
      return undefined;
    }
    if (datatype === DT.integer && !(item instanceof JsonNumber) && !Number.isSafeInteger(item)) {
      issues.add('invalid-value', path, 'the integer is too large to be exact as a JSON number; write it as a string');
      return undefined;
    }
    lexical = numberText(item);
  } else {
    issues.add('invalid-value', path, `${describe(item)} is not a value of datatype ${datatype}`);
    return undefined;
  }
  return readAttributeValue(datatype, lexical, undefined, issues, path);
}

function readXPathValue(reader: JsonShapeReader, obj: JsonObject, path: string): AttributeValue | undefined {
  if (!reader.object(obj, path, XPATH_MEMBERS)) return undefined;
  const before = reader.issues.count;
  const xpathCategory = reader.string(obj, 'XPathCategory', path, true);
  const xpath = reader.string(obj, 'XPath', path, true);
  const namespaces: Record<string, string> = {};
  const decls = reader.array(obj, 'Namespaces', path, 0) ?? [];
  decls.forEach((d, i) => {
    const p = `${path}/Namespaces[${i}]`;
    const decl = reader.object(d, p, NAMESPACE_MEMBERS);
    if (!decl) return;
    const uri = reader.string(decl, 'Namespace', p, true);
    const prefix = reader.string(decl, 'Prefix', p, false) ?? '';
    if (uri !== undefined) namespaces[prefix] = uri;
  });
  if (reader.issues.count > before || xpathCategory === undefined || xpath === undefined) return undefined;
  return readAttributeValue(DT.xpathExpression, xpath, { namespaces, xpathCategory }, reader.issues, path);
}
