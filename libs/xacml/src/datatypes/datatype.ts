/**
 * A XACML datatype: how its lexical form parses, prints and compares.
 * Implementations are immutable singletons registered once in `datatypes/registry.ts`.
 */

/** What a lexical value may need from where it appears (XPath namespaces, category). */
export interface ValueParseContext {
  /** In-scope namespace prefixes at the element (for xpathExpression values). */
  readonly namespaces?: Readonly<Record<string, string>>;
  /** The XPathCategory attribute of an xpathExpression value. */
  readonly xpathCategory?: string;
}

export interface Datatype<T = unknown> {
  readonly id: string;
  /** Parses a lexical form; throws ValueSyntaxError with a message naming what is wrong. */
  parse(lexical: string, ctx?: ValueParseContext): T;
  /** Canonical lexical form (what a response prints). */
  format(value: T): string;
  /** Value equality as the type's `-equal` function defines it. */
  equal(a: T, b: T): boolean;
  /**
   * A string such that equal(a, b) ⇔ key(a) === key(b). Used by set functions and the
   * target index; a datatype whose equality is not a key equality may omit it.
   */
  key?(value: T): string;
  /** Total or partial order for ordered types; undefined when a and b are incomparable. */
  compare?(a: T, b: T): number | undefined;
}

export interface DatatypeRegistry {
  get(id: string): Datatype | undefined;
  has(id: string): boolean;
  ids(): readonly string[];
}
