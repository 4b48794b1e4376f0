/**
 * Helpers shared by the policy parsers: element paths for messages, required attributes,
 * and the issue collector bound to a location.
 */
import type { IssueCollector, XacmlErrorCode } from '../model/errors';
import { LEGACY_DATATYPE_ALIASES } from '../model/identifiers';
import type { XmlElement } from '../xml/xml-reader';

const ID_ATTRS: Readonly<Record<string, string>> = {
  PolicySet: 'PolicySetId',
  Policy: 'PolicyId',
  Rule: 'RuleId',
  VariableDefinition: 'VariableId',
  VariableReference: 'VariableId',
  ObligationExpression: 'ObligationId',
  AdviceExpression: 'AdviceId',
  AttributeAssignmentExpression: 'AttributeId',
  Attribute: 'AttributeId',
};

/** Path step for a child: `Rule[@RuleId="r1"]`, or `Apply[2]` when several siblings share the name. */
export function stepOf(el: XmlElement, siblings: readonly XmlElement[]): string {
  const idAttr = ID_ATTRS[el.name];
  const id = idAttr ? el.attrs[idAttr] : undefined;
  if (idAttr && id !== undefined) return `${el.name}[@${idAttr}="${id}"]`;
  const same = siblings.filter((s) => s.name === el.name);
  return same.length > 1 ? `${el.name}[${same.indexOf(el) + 1}]` : el.name;
}

export class Walker {
  constructor(readonly issues: IssueCollector) {}

  error(code: XacmlErrorCode, path: string, el: XmlElement, message: string): void {
    this.issues.add(code, path, message, el.line || undefined);
  }

  required(el: XmlElement, path: string, name: string): string {
    const v = el.attrs[name];
    if (v === undefined || v === '') {
      this.error('invalid-structure', path, el, `<${el.name}> lacks the required attribute ${name}`);
      return '';
    }
    return v;
  }

  boolAttr(el: XmlElement, path: string, name: string, fallback: boolean): boolean {
    const v = el.attrs[name];
    if (v === undefined) return fallback;
    const t = v.trim();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
    this.error('invalid-value', path, el, `attribute ${name} must be true or false, got "${v}"`);
    return fallback;
  }

  /** Visits children with their paths. */
  children(el: XmlElement, path: string): { el: XmlElement; path: string }[] {
    return el.children.map((c) => ({ el: c, path: `${path}/${stepOf(c, el.children)}` }));
  }
}

/** Maps a 1.0 datatype identifier to its 3.0 name; others unchanged. */
export function normalizeDatatype(id: string): string {
  return LEGACY_DATATYPE_ALIASES[id] ?? id;
}
