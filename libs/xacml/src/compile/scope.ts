/** What compiling one policy document needs: functions, issues, variables in scope, options. */
import type { FunctionDef } from '../functions/function-def';
import type { IssueCollector } from '../model/errors';
import type { VariableDefinitionNode } from '../model/policy-ast';
import type { CompiledExpr } from './expression';

export interface FunctionLookup {
  get(id: string): FunctionDef | undefined;
}

export interface VariableSlot {
  readonly node: VariableDefinitionNode;
  compiled?: CompiledExpr;
  compiling: boolean;
}

export interface CompileScope {
  readonly functions: FunctionLookup;
  readonly issues: IssueCollector;
  /** Variables of the enclosing Policy; undefined outside a Policy. */
  readonly variables?: ReadonlyMap<string, VariableSlot>;
  readonly xpath: boolean;
}
