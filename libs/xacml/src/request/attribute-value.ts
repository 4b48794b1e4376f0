/**
 * Turns a lexical attribute value found in a request or response document into a typed value,
 * reporting an unknown datatype or an invalid lexical form as an issue at the value's path.
 * Shared by the XML and JSON readers so both apply the same datatype rules.
 */
import { STANDARD_DATATYPES, parseValue } from '../datatypes/registry';
import type { ValueParseContext } from '../datatypes/datatype';
import { ValueSyntaxError, type IssueCollector } from '../model/errors';
import { DT, LEGACY_DATATYPE_ALIASES } from '../model/identifiers';
import type { AttributeValue } from '../model/values';

/** The 3.0 identifier of a datatype, mapping XACML 1.0/2.0 names that 3.0 renamed. */
export function canonicalDatatypeId(id: string): string {
  return LEGACY_DATATYPE_ALIASES[id] ?? id;
}

export function isKnownDatatype(id: string): boolean {
  return STANDARD_DATATYPES.get(canonicalDatatypeId(id)) !== undefined;
}

/**
 * Parses `lexical` as `datatypeId`. Returns undefined (after recording an issue) when the
 * datatype is unknown or the value is not in its lexical space.
 */
export function readAttributeValue(
  datatypeId: string,
  lexical: string,
  ctx: ValueParseContext | undefined,
  issues: IssueCollector,
  path: string,
  line?: number,
): AttributeValue | undefined {
  const id = canonicalDatatypeId(datatypeId);
  if (STANDARD_DATATYPES.get(id) === undefined) {
    issues.add('unknown-datatype', path, `unknown datatype "${datatypeId}"`, line);
    return undefined;
  }
  // XML Schema collapses whitespace for every primitive type but string: "  42\n" is 42.
  const text = id === DT.string ? lexical : lexical.trim();
  try {
    return parseValue(id, text, ctx);
  } catch (e) {
    if (e instanceof ValueSyntaxError) {
      // Datatype errors already name the type and the (abbreviated) value.
      issues.add('invalid-value', path, e.message, line);
      return undefined;
    }
    throw e;
  }
}
