/**
 * Typed, immutable syntax tree of XACML policies (stage 2 of parsing). XACML 2.0 documents are
 * translated into this 3.0 shape by the parser, so nothing downstream knows about 2.0.
 * Every node keeps `path` (an XPath-like location) and `line` for error messages.
 */

export interface Located {
  readonly path: string;
  readonly line: number;
}

export interface ValueNode extends Located {
  readonly kind: 'Value';
  readonly datatype: string;
  readonly lexical: string;
  /** For xpathExpression values. */
  readonly xpathCategory?: string;
  readonly namespaces: Readonly<Record<string, string>>;
}

export interface DesignatorNode extends Located {
  readonly kind: 'Designator';
  readonly category: string;
  readonly attributeId: string;
  readonly datatype: string;
  readonly issuer?: string;
  readonly mustBePresent: boolean;
}

export interface SelectorNode extends Located {
  readonly kind: 'Selector';
  readonly category: string;
  readonly contextSelectorId?: string;
  readonly xpath: string;
  readonly datatype: string;
  readonly mustBePresent: boolean;
  readonly namespaces: Readonly<Record<string, string>>;
}

export interface ApplyNode extends Located {
  readonly kind: 'Apply';
  readonly functionId: string;
  readonly args: readonly ExprNode[];
  /** Prefixes in scope at the Apply element (for functions that take XPath paths as strings). */
  readonly namespaces?: Readonly<Record<string, string>>;
}

export interface FunctionNode extends Located {
  readonly kind: 'Function';
  readonly functionId: string;
}

export interface VariableRefNode extends Located {
  readonly kind: 'VariableRef';
  readonly variableId: string;
}

export type ExprNode = ValueNode | DesignatorNode | SelectorNode | ApplyNode | FunctionNode | VariableRefNode;

export interface MatchNode extends Located {
  readonly matchId: string;
  readonly value: ValueNode;
  readonly attribute: DesignatorNode | SelectorNode;
}

/** AND of AnyOf; each AnyOf is an OR of AllOf; each AllOf an AND of Match. Empty = matches all. */
export type TargetNode = readonly (readonly (readonly MatchNode[])[])[];

export type Effect = 'Permit' | 'Deny';

export interface AssignmentNode extends Located {
  readonly attributeId: string;
  readonly category?: string;
  readonly issuer?: string;
  readonly expr: ExprNode;
}

export interface PepActionNode extends Located {
  readonly id: string;
  readonly appliesTo: Effect;
  readonly assignments: readonly AssignmentNode[];
}

export interface VariableDefinitionNode extends Located {
  readonly id: string;
  readonly expr: ExprNode;
}

export interface RuleNode extends Located {
  readonly id: string;
  readonly effect: Effect;
  readonly target: TargetNode;
  readonly condition?: ExprNode;
  readonly obligations: readonly PepActionNode[];
  readonly advice: readonly PepActionNode[];
}

export interface CombinerParameterNode {
  readonly name: string;
  readonly value: ValueNode;
}

interface PolicyBase extends Located {
  readonly id: string;
  readonly version: string;
  readonly target: TargetNode;
  readonly combiningAlgId: string;
  readonly obligations: readonly PepActionNode[];
  readonly advice: readonly PepActionNode[];
  readonly combinerParameters: readonly CombinerParameterNode[];
  readonly xpathVersion?: string;
  readonly maxDelegationDepth?: number;
}

export interface PolicyNode extends PolicyBase {
  readonly kind: 'Policy';
  readonly variables: readonly VariableDefinitionNode[];
  readonly rules: readonly RuleNode[];
}

export interface PolicySetNode extends PolicyBase {
  readonly kind: 'PolicySet';
  readonly children: readonly PolicyChildNode[];
}

export interface PolicyReferenceNode extends Located {
  readonly kind: 'PolicyRef' | 'PolicySetRef';
  readonly id: string;
  readonly version?: string;
  readonly earliestVersion?: string;
  readonly latestVersion?: string;
}

export type PolicyChildNode = PolicyNode | PolicySetNode | PolicyReferenceNode;

export type PolicyDocument = PolicyNode | PolicySetNode;
