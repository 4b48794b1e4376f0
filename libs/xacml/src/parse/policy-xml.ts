/**
 * Stage 2 of policy parsing: element tree → typed policy AST.
 * Reads XACML 3.0 documents; XACML 1.0/2.0 documents go through `policy-xml-legacy.ts`,
 * which produces the same AST. Collects every structural issue of a document before failing.
 */
import { IssueCollector, XacmlError } from '../model/errors';
import { XACML3_NS } from '../model/identifiers';
import type {
  AssignmentNode,
  CombinerParameterNode,
  DesignatorNode,
  Effect,
  ExprNode,
  MatchNode,
  PepActionNode,
  PolicyChildNode,
  PolicyDocument,
  PolicyNode,
  PolicyReferenceNode,
  PolicySetNode,
  RuleNode,
  SelectorNode,
  TargetNode,
  ValueNode,
  VariableDefinitionNode,
} from '../model/policy-ast';
import type { ParseLimits } from '../pdp-types';
import { DEFAULT_LIMITS } from '../xml/limits';
import { readXmlSax } from '../xml/sax-reader';
import type { XmlElement } from '../xml/xml-reader';
import { normalizeDatatype, stepOf, Walker } from './element-walk';
import { isLegacyPolicyNamespace, legacyDesignator, legacyObligations, legacySelector, legacyTarget } from './policy-xml-legacy';

export function parsePolicyXml(text: string, limits: ParseLimits = DEFAULT_LIMITS): PolicyDocument {
  // Policies can be large (10,000 rules, ~13 MB): the one-pass reader.
  const root = readXmlSax(text, 'policy', limits);
  return parsePolicyElement(root);
}

export function parsePolicyElement(root: XmlElement): PolicyDocument {
  const issues = new IssueCollector('policy');
  let doc: PolicyDocument | undefined;
  const legacy = isLegacyPolicyNamespace(root.ns);
  if (!legacy && root.ns !== XACML3_NS) {
    issues.add('invalid-structure', `/${root.name}`, `root element is in namespace "${root.ns}", expected ${XACML3_NS}`, root.line);
  } else {
    doc = new PolicyReader(new Walker(issues), legacy).document(root);
  }
  issues.throwIfAny();
  if (!doc) throw new XacmlError('policy', [{ code: 'invalid-structure', path: '/', message: 'not a policy document' }]);
  return doc;
}

const VERSION_RE = /^\d+(\.\d+)*$/;

/** Reads XACML 3.0, and with `legacy` the 1.0/2.0 elements translated to the 3.0 AST. */
class PolicyReader {
  constructor(
    readonly w: Walker,
    private readonly legacy: boolean,
  ) {}

  document(el: XmlElement): PolicyDocument | undefined {
    const path = `/${stepOf(el, [el])}`;
    if (el.name === 'Policy') return this.policy(el, path);
    if (el.name === 'PolicySet') return this.policySet(el, path);
    this.w.error('invalid-structure', path, el, `root element must be Policy or PolicySet, got ${el.name}`);
    return undefined;
  }

  private version(el: XmlElement, path: string): string {
    const v = el.attrs.Version ?? '1.0';
    if (!VERSION_RE.test(v)) this.w.error('invalid-version', path, el, `Version "${v}" is not a version number like 1.0.2`);
    return v;
  }

  /** What Policy and PolicySet have alike: header attributes and the children both may hold. */
  private common(el: XmlElement, path: string, kind: 'Policy' | 'PolicySet') {
    const parts = {
      id: this.w.required(el, path, kind === 'Policy' ? 'PolicyId' : 'PolicySetId'),
      combiningAlgId: this.w.required(el, path, kind === 'Policy' ? 'RuleCombiningAlgId' : 'PolicyCombiningAlgId'),
      version: this.version(el, path),
      target: [] as TargetNode,
      obligations: [] as PepActionNode[],
      advice: [] as PepActionNode[],
      combinerParameters: [] as CombinerParameterNode[],
      xpathVersion: undefined as string | undefined,
    };
    const defaults = kind === 'Policy' ? 'PolicyDefaults' : 'PolicySetDefaults';
    const parameterElements: readonly string[] =
      kind === 'Policy' ? ['CombinerParameters', 'RuleCombinerParameters'] : ['CombinerParameters', 'PolicyCombinerParameters', 'PolicySetCombinerParameters'];
    /** Reads a child both kinds may hold; false when it is not one of those. */
    const read = (c: { el: XmlElement; path: string }): boolean => {
      if (parameterElements.includes(c.el.name)) {
        parts.combinerParameters.push(...this.combinerParameters(c.el, c.path));
        return true;
      }
      switch (c.el.name) {
        case 'Description':
        case 'PolicyIssuer':
          return true;
        case defaults:
          parts.xpathVersion = this.defaults(c.el);
          return true;
        case 'Target':
          parts.target = this.target(c.el, c.path);
          return true;
        case 'ObligationExpressions':
          parts.obligations.push(...this.pepActions(c.el, c.path, 'ObligationExpression'));
          return true;
        case 'AdviceExpressions':
          parts.advice.push(...this.pepActions(c.el, c.path, 'AdviceExpression'));
          return true;
        case 'Obligations':
          if (!this.legacy) return false;
          parts.obligations.push(...legacyObligations(this, c.el, c.path));
          return true;
        default:
          return false;
      }
    };
    const finish = () => {
      const { xpathVersion, ...rest } = parts;
      return { ...rest, ...(xpathVersion ? { xpathVersion } : {}), ...this.delegation(el, path), path, line: el.line };
    };
    return { read, finish };
  }

  private policySet(el: XmlElement, path: string): PolicySetNode {
    const common = this.common(el, path, 'PolicySet');
    const children: PolicyChildNode[] = [];
    for (const c of this.w.children(el, path)) {
      if (common.read(c)) continue;
      switch (c.el.name) {
        case 'PolicySet':
          children.push(this.policySet(c.el, c.path));
          break;
        case 'Policy':
          children.push(this.policy(c.el, c.path));
          break;
        case 'PolicySetIdReference':
        case 'PolicyIdReference':
          children.push(this.reference(c.el, c.path));
          break;
        default:
          this.unexpected(c.el, c.path, 'PolicySet');
      }
    }
    return { kind: 'PolicySet', children, ...common.finish() };
  }

  private policy(el: XmlElement, path: string): PolicyNode {
    const common = this.common(el, path, 'Policy');
    const rules: RuleNode[] = [];
    const variables: VariableDefinitionNode[] = [];
    for (const c of this.w.children(el, path)) {
      if (common.read(c)) continue;
      switch (c.el.name) {
        case 'Rule':
          rules.push(this.rule(c.el, c.path));
          break;
        case 'VariableDefinition': {
          const vid = this.w.required(c.el, c.path, 'VariableId');
          const expr = this.singleExpression(c.el, c.path);
          if (expr) variables.push({ id: vid, expr, path: c.path, line: c.el.line });
          break;
        }
        default:
          this.unexpected(c.el, c.path, 'Policy');
      }
    }
    return { kind: 'Policy', rules, variables, ...common.finish() };
  }

  private delegation(el: XmlElement, path: string): { maxDelegationDepth?: number } {
    const v = el.attrs.MaxDelegationDepth;
    if (v === undefined) return {};
    if (!/^\d+$/.test(v.trim())) {
      this.w.error('invalid-value', path, el, `MaxDelegationDepth must be a non-negative integer, got "${v}"`);
      return {};
    }
    return { maxDelegationDepth: Number(v.trim()) };
  }

  private defaults(el: XmlElement): string | undefined {
    const x = el.children.find((c) => c.name === 'XPathVersion');
    return x?.text.trim() || undefined;
  }

  private reference(el: XmlElement, path: string): PolicyReferenceNode {
    const id = el.text.trim();
    if (!id) this.w.error('invalid-structure', path, el, `<${el.name}> must contain the referenced id`);
    const out: { -readonly [K in keyof PolicyReferenceNode]: PolicyReferenceNode[K] } = {
      kind: el.name === 'PolicyIdReference' ? 'PolicyRef' : 'PolicySetRef', id, path, line: el.line,
    };
    for (const [attr, key] of [['Version', 'version'], ['EarliestVersion', 'earliestVersion'], ['LatestVersion', 'latestVersion']] as const) {
      const v = el.attrs[attr];
      if (v === undefined) continue;
      if (!/^((\d+|\*)\.)*(\d+|\*|\+)$/.test(v)) this.w.error('invalid-version', path, el, `${attr} "${v}" is not a version match pattern`);
      out[key] = v;
    }
    return out;
  }

  private rule(el: XmlElement, path: string): RuleNode {
    const id = this.w.required(el, path, 'RuleId');
    const effect = this.effect(el, path, 'Effect');
    let target: TargetNode = [];
    let condition: ExprNode | undefined;
    const obligations: PepActionNode[] = [];
    const advice: PepActionNode[] = [];
    for (const c of this.w.children(el, path)) {
      switch (c.el.name) {
        case 'Description':
          break;
        case 'Target':
          target = this.target(c.el, c.path);
          break;
        case 'Condition':
          // XACML 1.0 conditions are themselves an Apply (FunctionId on Condition).
          condition = this.legacy && c.el.attrs.FunctionId !== undefined
            ? this.expression({ ...c.el, name: 'Apply' }, c.path)
            : this.singleExpression(c.el, c.path);
          break;
        case 'ObligationExpressions':
          obligations.push(...this.pepActions(c.el, c.path, 'ObligationExpression'));
          break;
        case 'AdviceExpressions':
          advice.push(...this.pepActions(c.el, c.path, 'AdviceExpression'));
          break;
        default:
          this.unexpected(c.el, c.path, 'Rule');
      }
    }
    return { id, effect, target, ...(condition ? { condition } : {}), obligations, advice, path, line: el.line };
  }

  private effect(el: XmlElement, path: string, attr: string): Effect {
    const v = this.w.required(el, path, attr);
    if (v === 'Permit' || v === 'Deny') return v;
    if (v !== '') this.w.error('invalid-value', path, el, `${attr} must be Permit or Deny, got "${v}"`);
    return 'Deny';
  }

  target(el: XmlElement, path: string): TargetNode {
    if (this.legacy) return legacyTarget(this, el, path);
    const anyOfs: MatchNode[][][] = [];
    for (const a of this.w.children(el, path)) {
      if (a.el.name !== 'AnyOf') {
        this.unexpected(a.el, a.path, 'Target');
        continue;
      }
      const allOfs: MatchNode[][] = [];
      for (const b of this.w.children(a.el, a.path)) {
        if (b.el.name !== 'AllOf') {
          this.unexpected(b.el, b.path, 'AnyOf');
          continue;
        }
        const matches: MatchNode[] = [];
        for (const m of this.w.children(b.el, b.path)) {
          if (m.el.name !== 'Match') {
            this.unexpected(m.el, m.path, 'AllOf');
            continue;
          }
          const match = this.match(m.el, m.path);
          if (match) matches.push(match);
        }
        if (matches.length === 0) this.w.error('invalid-structure', b.path, b.el, 'AllOf must contain at least one Match');
        allOfs.push(matches);
      }
      if (allOfs.length === 0) this.w.error('invalid-structure', a.path, a.el, 'AnyOf must contain at least one AllOf');
      anyOfs.push(allOfs);
    }
    return anyOfs;
  }

  match(el: XmlElement, path: string): MatchNode | undefined {
    const matchId = this.w.required(el, path, 'MatchId');
    let value: ValueNode | undefined;
    let attribute: DesignatorNode | SelectorNode | undefined;
    for (const c of this.w.children(el, path)) {
      if (c.el.name === 'AttributeValue' && !value) value = this.value(c.el, c.path);
      else if ((c.el.name === 'AttributeDesignator' || c.el.name === 'AttributeSelector' || (this.legacy && c.el.name.endsWith('AttributeDesignator'))) && !attribute) {
        attribute = this.expression(c.el, c.path) as DesignatorNode | SelectorNode | undefined;
      } else this.unexpected(c.el, c.path, 'Match');
    }
    if (!value || !attribute) {
      this.w.error('invalid-structure', path, el, 'Match must contain an AttributeValue and an AttributeDesignator or AttributeSelector');
      return undefined;
    }
    return { matchId, value, attribute, path, line: el.line };
  }

  value(el: XmlElement, path: string): ValueNode {
    const datatype = normalizeDatatype(this.w.required(el, path, 'DataType'));
    const xpathCategory = el.attrs.XPathCategory;
    if (el.children.length > 0) {
      this.w.error('invalid-value', path, el, 'AttributeValue with element content is not supported for standard datatypes');
    }
    return {
      kind: 'Value', datatype, lexical: el.text,
      ...(xpathCategory !== undefined ? { xpathCategory } : {}),
      namespaces: el.namespaces, path, line: el.line,
    };
  }

  singleExpression(el: XmlElement, path: string): ExprNode | undefined {
    const kids = this.w.children(el, path).filter((c) => c.el.name !== 'Description');
    if (kids.length !== 1) {
      this.w.error('invalid-structure', path, el, `<${el.name}> must contain exactly one expression, found ${kids.length}`);
      return undefined;
    }
    return this.expression(kids[0]!.el, kids[0]!.path);
  }

  expression(el: XmlElement, path: string): ExprNode | undefined {
    switch (el.name) {
      case 'AttributeValue':
        return this.value(el, path);
      case 'AttributeDesignator':
        return {
          kind: 'Designator',
          category: this.w.required(el, path, 'Category'),
          attributeId: this.w.required(el, path, 'AttributeId'),
          datatype: normalizeDatatype(this.w.required(el, path, 'DataType')),
          ...(el.attrs.Issuer !== undefined ? { issuer: el.attrs.Issuer } : {}),
          mustBePresent: this.w.boolAttr(el, path, 'MustBePresent', false),
          path, line: el.line,
        };
      case 'AttributeSelector': {
        if (this.legacy) return legacySelector(this, el, path);
        const contextSelectorId = el.attrs.ContextSelectorId;
        return {
          kind: 'Selector',
          category: this.w.required(el, path, 'Category'),
          ...(contextSelectorId !== undefined ? { contextSelectorId } : {}),
          xpath: this.w.required(el, path, 'Path'),
          datatype: normalizeDatatype(this.w.required(el, path, 'DataType')),
          mustBePresent: this.w.boolAttr(el, path, 'MustBePresent', false),
          namespaces: el.namespaces,
          path, line: el.line,
        };
      }
      case 'Apply': {
        const functionId = this.w.required(el, path, 'FunctionId');
        const args: ExprNode[] = [];
        for (const c of this.w.children(el, path)) {
          if (c.el.name === 'Description') continue;
          const a = this.expression(c.el, c.path);
          if (a) args.push(a);
        }
        return { kind: 'Apply', functionId, args, namespaces: el.namespaces, path, line: el.line };
      }
      case 'Function':
        return { kind: 'Function', functionId: this.w.required(el, path, 'FunctionId'), path, line: el.line };
      case 'VariableReference':
        return { kind: 'VariableRef', variableId: this.w.required(el, path, 'VariableId'), path, line: el.line };
      case 'SubjectAttributeDesignator':
      case 'ResourceAttributeDesignator':
      case 'ActionAttributeDesignator':
      case 'EnvironmentAttributeDesignator':
        if (this.legacy) return legacyDesignator(this, el, path);
        this.w.error('invalid-structure', path, el, `<${el.name}> is XACML 2.0; use AttributeDesignator with a Category`);
        return undefined;
      default:
        this.w.error('invalid-structure', path, el, `<${el.name}> is not an expression`);
        return undefined;
    }
  }

  private combinerParameters(el: XmlElement, path: string): CombinerParameterNode[] {
    const out: CombinerParameterNode[] = [];
    for (const c of this.w.children(el, path)) {
      if (c.el.name !== 'CombinerParameter') {
        this.unexpected(c.el, c.path, el.name);
        continue;
      }
      const name = this.w.required(c.el, c.path, 'ParameterName');
      const v = c.el.children.find((x) => x.name === 'AttributeValue');
      if (!v) this.w.error('invalid-structure', c.path, c.el, 'CombinerParameter must contain an AttributeValue');
      else out.push({ name, value: this.value(v, `${c.path}/AttributeValue`) });
    }
    return out;
  }

  private pepActions(el: XmlElement, path: string, childName: 'ObligationExpression' | 'AdviceExpression'): PepActionNode[] {
    const out: PepActionNode[] = [];
    const [idAttr, onAttr] = childName === 'ObligationExpression' ? ['ObligationId', 'FulfillOn'] : ['AdviceId', 'AppliesTo'];
    for (const c of this.w.children(el, path)) {
      if (c.el.name !== childName) {
        this.unexpected(c.el, c.path, el.name);
        continue;
      }
      const id = this.w.required(c.el, c.path, idAttr);
      const appliesTo = this.effect(c.el, c.path, onAttr);
      const assignments: AssignmentNode[] = [];
      for (const a of this.w.children(c.el, c.path)) {
        if (a.el.name !== 'AttributeAssignmentExpression') {
          this.unexpected(a.el, a.path, childName);
          continue;
        }
        const attributeId = this.w.required(a.el, a.path, 'AttributeId');
        const expr = this.singleExpression(a.el, a.path);
        if (!expr) continue;
        assignments.push({
          attributeId,
          ...(a.el.attrs.Category !== undefined ? { category: a.el.attrs.Category } : {}),
          ...(a.el.attrs.Issuer !== undefined ? { issuer: a.el.attrs.Issuer } : {}),
          expr, path: a.path, line: a.el.line,
        });
      }
      out.push({ id, appliesTo, assignments, path: c.path, line: c.el.line });
    }
    return out;
  }

  unexpected(el: XmlElement, path: string, parent: string): void {
    this.w.error('invalid-structure', path, el, `<${el.name}> is not allowed in <${parent}>`);
  }
}

export type { PolicyReader };
