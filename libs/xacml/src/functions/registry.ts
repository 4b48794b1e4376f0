/**
 * The standard function library (XACML 3.0 A.3 plus the deprecated ids still listed), built
 * once into an immutable registry; `createFunctionRegistry` adds extra (user-defined)
 * functions. A duplicate identifier fails when the registry is built.
 */
import { ACCESS_PERMITTED_FUNCTIONS } from './access-permitted';
import { ARITHMETIC_FUNCTIONS } from './arithmetic';
import { BAG_FUNCTIONS, SET_FUNCTIONS } from './bag';
import { COMPARISON_FUNCTIONS } from './comparison';
import { DATE_ARITHMETIC_FUNCTIONS } from './date-arithmetic';
import { EQUALITY_FUNCTIONS } from './equality';
import type { FunctionDef } from './function-def';
import { HIGHER_ORDER_FUNCTIONS } from './higher-order';
import { LOGICAL_FUNCTIONS } from './logical';
import { MATCH_FUNCTIONS } from './match';
import { NUMERIC_CONVERSION_FUNCTIONS } from './numeric-conversion';
import { REGEXP_FUNCTIONS } from './regexp';
import { STRING_FUNCTIONS } from './string';
import { XPATH_FUNCTIONS } from './xpath';
import { F1, F3 } from './ids';

export interface FunctionRegistry {
  get(id: string): FunctionDef | undefined;
  has(id: string): boolean;
  ids(): readonly string[];
}

/** Two functions claim the same identifier. */
export class DuplicateFunctionError extends Error {
  override readonly name = 'DuplicateFunctionError';
  readonly code = 'duplicate-id' as const;
  constructor(readonly functionId: string) {
    super(`function ${functionId} is defined twice`);
  }
}

class ImmutableFunctionRegistry implements FunctionRegistry {
  private readonly byId: ReadonlyMap<string, FunctionDef>;
  private readonly idList: readonly string[];

  constructor(defs: readonly FunctionDef[]) {
    const map = new Map<string, FunctionDef>();
    for (const def of defs) {
      if (map.has(def.id)) throw new DuplicateFunctionError(def.id);
      map.set(def.id, def);
    }
    this.byId = map;
    this.idList = Object.freeze([...map.keys()]);
  }

  get(id: string): FunctionDef | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): readonly string[] {
    return this.idList;
  }
}

/**
 * XACML 1.0 engines and policies name the duration bag and set functions in the 1.0
 * namespace; 3.0 moved them to its own. The 1.0 spellings are accepted as the same functions.
 */
const DURATION_SUFFIXES = ['one-and-only', 'bag-size', 'is-in', 'bag', 'intersection', 'at-least-one-member-of', 'union', 'subset', 'set-equals'];

function legacyDurationAliases(defs: readonly FunctionDef[]): FunctionDef[] {
  const byId = new Map(defs.map((d) => [d.id, d]));
  const out: FunctionDef[] = [];
  for (const type of ['dayTimeDuration', 'yearMonthDuration']) {
    for (const suffix of DURATION_SUFFIXES) {
      const current = byId.get(`${F3}${type}-${suffix}`);
      const alias = `${F1}${type}-${suffix}`;
      if (current && !byId.has(alias)) out.push(Object.freeze({ ...current, id: alias }));
    }
  }
  return out;
}

const CURRENT_DEFS: readonly FunctionDef[] = [
  ...EQUALITY_FUNCTIONS,
  ...ARITHMETIC_FUNCTIONS,
  ...NUMERIC_CONVERSION_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...LOGICAL_FUNCTIONS,
  ...COMPARISON_FUNCTIONS,
  ...DATE_ARITHMETIC_FUNCTIONS,
  ...BAG_FUNCTIONS,
  ...SET_FUNCTIONS,
  ...HIGHER_ORDER_FUNCTIONS,
  ...REGEXP_FUNCTIONS,
  ...MATCH_FUNCTIONS,
  ...XPATH_FUNCTIONS,
  ...ACCESS_PERMITTED_FUNCTIONS,
];

const STANDARD_DEFS: readonly FunctionDef[] = Object.freeze([...CURRENT_DEFS, ...legacyDurationAliases(CURRENT_DEFS)]);

export const STANDARD_FUNCTIONS: FunctionRegistry = Object.freeze(new ImmutableFunctionRegistry(STANDARD_DEFS));

/** The standard functions plus `extra`; an id defined twice throws DuplicateFunctionError. */
export function createFunctionRegistry(extra: readonly FunctionDef[]): FunctionRegistry {
  return Object.freeze(new ImmutableFunctionRegistry([...STANDARD_DEFS, ...extra]));
}
