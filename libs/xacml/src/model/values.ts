/**
 * Runtime values of the engine: a single attribute value, a bag of them, and a function
 * passed as an argument to a higher-order function.
 *
 * A value carries its Datatype object (not only the id) so that equality, ordering and
 * formatting dispatch without a registry lookup on the decision path.
 */
import type { Datatype } from '../datatypes/datatype';
import type { FunctionDef } from '../functions/function-def';

export interface AttributeValue<T = unknown> {
  readonly datatype: Datatype<T>;
  readonly value: T;
}

export interface Bag {
  readonly kind: 'bag';
  /** Datatype id of every member (an empty bag still has a type). */
  readonly datatype: string;
  readonly values: readonly AttributeValue[];
}

/** A `<Function FunctionId="...">` argument, only ever seen by higher-order functions. */
export interface FunctionArg {
  readonly kind: 'function';
  readonly fn: FunctionDef;
}

export type ExprValue = AttributeValue | Bag | FunctionArg;

export function isBag(v: ExprValue): v is Bag {
  return (v as Bag).kind === 'bag';
}

export function isFunctionArg(v: ExprValue): v is FunctionArg {
  return (v as FunctionArg).kind === 'function';
}

export function isAttributeValue(v: ExprValue): v is AttributeValue {
  return (v as { datatype?: unknown }).datatype !== undefined && (v as Bag).kind === undefined;
}

export function bagOf(datatype: string, values: readonly AttributeValue[]): Bag {
  return { kind: 'bag', datatype, values };
}

export function valueOf<T>(datatype: Datatype<T>, value: T): AttributeValue<T> {
  return { datatype, value };
}
