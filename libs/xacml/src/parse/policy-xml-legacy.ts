/**
 * XACML 1.0/2.0 policy elements translated to the 3.0 AST at parse time: Subjects/Resources/
 * Actions/Environments targets, category-specific designators, RequestContextPath selectors and
 * 2.0 Obligations. Identifiers of functions and algorithms stay as written (the 1.0 ones are
 * still registered).
 */
import { CATEGORY, XACML2_CONTEXT_NS } from '../model/identifiers';
import { compileXPath } from '../datatypes/xpath-expression';
import type { AssignmentNode, DesignatorNode, MatchNode, PepActionNode, SelectorNode, TargetNode, ValueNode } from '../model/policy-ast';
import type { XmlElement } from '../xml/xml-reader';
import type { PolicyReader } from './policy-xml';
import { normalizeDatatype } from './element-walk';

const LEGACY_NAMESPACES = new Set([
  'urn:oasis:names:tc:xacml:2.0:policy:schema:os',
  'urn:oasis:names:tc:xacml:1.0:policy',
]);

export function isLegacyPolicyNamespace(ns: string): boolean {
  return LEGACY_NAMESPACES.has(ns);
}

const SECTIONS: Readonly<Record<string, { item: string; match: string; any: string; category: string }>> = {
  Subjects: { item: 'Subject', match: 'SubjectMatch', any: 'AnySubject', category: CATEGORY.accessSubject },
  Resources: { item: 'Resource', match: 'ResourceMatch', any: 'AnyResource', category: CATEGORY.resource },
  Actions: { item: 'Action', match: 'ActionMatch', any: 'AnyAction', category: CATEGORY.action },
  Environments: { item: 'Environment', match: 'EnvironmentMatch', any: 'AnyEnvironment', category: CATEGORY.environment },
};

const DESIGNATOR_CATEGORY: Readonly<Record<string, string>> = {
  SubjectAttributeDesignator: CATEGORY.accessSubject,
  ResourceAttributeDesignator: CATEGORY.resource,
  ActionAttributeDesignator: CATEGORY.action,
  EnvironmentAttributeDesignator: CATEGORY.environment,
};

/** Each of Subjects/Resources/... becomes an AnyOf; each Subject an AllOf; each SubjectMatch a Match. */
export function legacyTarget(r: PolicyReader, el: XmlElement, path: string): TargetNode {
  const anyOfs: MatchNode[][][] = [];
  for (const s of r.w.children(el, path)) {
    const section = SECTIONS[s.el.name];
    if (!section) {
      r.unexpected(s.el, s.path, 'Target');
      continue;
    }
    const allOfs: MatchNode[][] = [];
    let matchesAll = false;
    for (const item of r.w.children(s.el, s.path)) {
      if (item.el.name === section.any) {
        matchesAll = true;
        continue;
      }
      if (item.el.name !== section.item) {
        r.unexpected(item.el, item.path, s.el.name);
        continue;
      }
      const matches: MatchNode[] = [];
      for (const m of r.w.children(item.el, item.path)) {
        if (m.el.name !== section.match) {
          r.unexpected(m.el, m.path, item.el.name);
          continue;
        }
        const match = r.match(m.el, m.path);
        if (match) matches.push(match);
      }
      allOfs.push(matches);
    }
    // An AnySubject (1.0) or an empty section matches everything: no AnyOf needed.
    if (!matchesAll && allOfs.length > 0) anyOfs.push(allOfs);
  }
  return anyOfs;
}

export function legacyDesignator(r: PolicyReader, el: XmlElement, path: string): DesignatorNode {
  const category =
    el.name === 'SubjectAttributeDesignator'
      ? (el.attrs.SubjectCategory ?? CATEGORY.accessSubject)
      : DESIGNATOR_CATEGORY[el.name]!;
  return {
    kind: 'Designator',
    category,
    attributeId: r.w.required(el, path, 'AttributeId'),
    datatype: normalizeDatatype(r.w.required(el, path, 'DataType')),
    ...(el.attrs.Issuer !== undefined ? { issuer: el.attrs.Issuer } : {}),
    mustBePresent: r.w.boolAttr(el, path, 'MustBePresent', false),
    path,
    line: el.line,
  };
}

/**
 * 2.0 selectors address the whole request context; 3.0 ones the Content of a category.
 * Paths into ResourceContent translate to the resource category's Content. A path that starts
 * with `//` and an element outside the 2.0 context namespace can only find that element in
 * the one place the 2.0 context holds foreign XML, ResourceContent: it is kept as written, as a
 * selector on the resource Content. Anything else cannot be translated.
 */
export function legacySelector(r: PolicyReader, el: XmlElement, path: string): SelectorNode | undefined {
  const full = r.w.required(el, path, 'RequestContextPath');
  try {
    compileXPath(full);
  } catch (e) {
    r.w.error('invalid-xpath', path, el, `RequestContextPath "${full}" is not an XPath 1.0 expression: ${(e as Error).message}`);
    return undefined;
  }
  const inContent = /ResourceContent\/(.+)$/.exec(full)?.[1] ?? (searchesForeignElement(full, el.namespaces) ? full : undefined);
  if (inContent === undefined) {
    r.w.error('invalid-structure', path, el, `RequestContextPath "${full}" does not select inside ResourceContent; it cannot be translated to XACML 3.0`);
    return undefined;
  }
  return {
    kind: 'Selector',
    category: CATEGORY.resource,
    xpath: inContent,
    datatype: normalizeDatatype(r.w.required(el, path, 'DataType')),
    mustBePresent: r.w.boolAttr(el, path, 'MustBePresent', false),
    namespaces: el.namespaces,
    path,
    line: el.line,
  };
}

/** `//name` or `//prefix:name` where the name is not in the 2.0 request context namespace. */
function searchesForeignElement(xpath: string, namespaces: Readonly<Record<string, string>>): boolean {
  const m = /^\/\/(?:([A-Za-z_][\w.-]*):)?[A-Za-z_][\w.-]*/.exec(xpath);
  if (!m) return false;
  const prefix = m[1];
  // An unprefixed XPath 1.0 name is in no namespace, so never in the context namespace.
  return prefix === undefined || (namespaces[prefix] !== undefined && namespaces[prefix] !== XACML2_CONTEXT_NS);
}

export function legacyObligations(r: PolicyReader, el: XmlElement, path: string): PepActionNode[] {
  const out: PepActionNode[] = [];
  for (const o of r.w.children(el, path)) {
    if (o.el.name !== 'Obligation') {
      r.unexpected(o.el, o.path, 'Obligations');
      continue;
    }
    const id = r.w.required(o.el, o.path, 'ObligationId');
    const on = r.w.required(o.el, o.path, 'FulfillOn');
    if (on !== 'Permit' && on !== 'Deny') r.w.error('invalid-value', o.path, o.el, `FulfillOn must be Permit or Deny, got "${on}"`);
    const assignments: AssignmentNode[] = [];
    for (const a of r.w.children(o.el, o.path)) {
      if (a.el.name !== 'AttributeAssignment') {
        r.unexpected(a.el, a.path, 'Obligation');
        continue;
      }
      const value: ValueNode = r.value(a.el, a.path);
      assignments.push({ attributeId: r.w.required(a.el, a.path, 'AttributeId'), expr: value, path: a.path, line: a.el.line });
    }
    out.push({ id, appliesTo: on === 'Permit' ? 'Permit' : 'Deny', assignments, path: o.path, line: o.el.line });
  }
  return out;
}
