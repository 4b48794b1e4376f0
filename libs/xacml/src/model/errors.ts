/**
 * Static errors: problems found before any decision is made (malformed documents, invalid
 * policies, invalid requests). Each carries a stable code and the path of the element at fault,
 * e.g. `/PolicySet[@PolicySetId="ps"]/Policy[@PolicyId="p1"]/Rule[@RuleId="r1"]/Condition`.
 * A document may have several issues; all found are reported together.
 */

export type XacmlErrorCode =
  | 'malformed-xml'
  | 'malformed-json'
  | 'forbidden-construct'
  | 'limit-exceeded'
  | 'invalid-structure'
  | 'unknown-datatype'
  | 'invalid-value'
  | 'unknown-function'
  | 'type-mismatch'
  | 'unknown-combining-algorithm'
  | 'duplicate-id'
  | 'undefined-reference'
  | 'circular-reference'
  | 'invalid-version'
  | 'invalid-regex'
  | 'invalid-xpath';

export interface XacmlIssue {
  readonly code: XacmlErrorCode;
  /** Where in the document: an XPath-like location. */
  readonly path: string;
  readonly message: string;
  /** 1-based line in the source text, when known. */
  readonly line?: number;
}

export type XacmlErrorKind = 'policy' | 'request' | 'document';

export class XacmlError extends Error {
  override readonly name = 'XacmlError';
  readonly code: XacmlErrorCode;
  constructor(
    readonly kind: XacmlErrorKind,
    readonly issues: readonly XacmlIssue[],
  ) {
    const first = issues[0];
    super(
      first
        ? `${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`
        : 'invalid document',
    );
    this.code = first?.code ?? 'invalid-structure';
  }
}

/** Collects issues while walking a document, then throws them all at once. */
export class IssueCollector {
  private readonly list: XacmlIssue[] = [];
  constructor(private readonly kind: XacmlErrorKind) {}

  add(code: XacmlErrorCode, path: string, message: string, line?: number): void {
    this.list.push(line === undefined ? { code, path, message } : { code, path, message, line });
  }

  get count(): number {
    return this.list.length;
  }

  get issues(): readonly XacmlIssue[] {
    return this.list;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new XacmlError(this.kind, this.list);
  }
}

/** Raised by a datatype when a lexical form is not valid for it; callers add the path. */
export class ValueSyntaxError extends Error {
  override readonly name = 'ValueSyntaxError';
}
