/**
 * Compatibility mode: what a store exported from a lenient engine needs to load, each
 * leniency recorded as a warning so the operator sees exactly what was accepted that strict
 * mode refuses. Strict mode (no log) refuses all of these at load, as before.
 */
import type { XacmlErrorCode } from '../model/errors';
import { detach } from './scope';

export type LeniencyCode =
  /** Two rules of one Policy share a RuleId (§5.21 does not require uniqueness). */
  | 'duplicate-rule-id'
  /** A Policy(Set)IdReference names nothing loaded: Indeterminate when reached. */
  | 'unresolved-reference'
  /** A referenced document was refused: references to it are Indeterminate when reached. */
  | 'refused-policy'
  /** A call with constant arguments that fails: Indeterminate (processing-error) when evaluated. */
  | 'failing-constant-call'
  /** An XPath prefix the policy does not declare: resolved from the request Content. */
  | 'undeclared-prefix';

export interface CompatibilityWarning {
  readonly code: LeniencyCode;
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  /** The strict-mode error this warning replaces. */
  readonly strictCode?: XacmlErrorCode;
}

export class LeniencyLog {
  private readonly list: CompatibilityWarning[] = [];
  private readonly seen = new Set<string>();

  add(code: LeniencyCode, path: string, message: string, line?: number, strictCode?: XacmlErrorCode): void {
    // The same document may be compiled as a root and through a reference: report once.
    const key = `${code}\u0000${path}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    // Detached: the warnings live as long as the PDP, and messages quote the policy's text.
    this.list.push({ code, path: detach(path), message: detach(message), ...(line !== undefined ? { line } : {}), ...(strictCode ? { strictCode } : {}) });
  }

  get warnings(): readonly CompatibilityWarning[] {
    return this.list;
  }
}

/**
 * Prefixes an XPath 1.0 expression uses in names (`p:name`, `p:*`), string literals and axis
 * names (`child::`) left out. Used to tell which prefixes a policy forgot to declare.
 */
export function xpathPrefixes(path: string): string[] {
  const code = path.replace(/"[^"]*"|'[^']*'/g, '""');
  const out = new Set<string>();
  for (const m of code.matchAll(/(?<![\w.:-])([A-Za-z_][\w.-]*):(?!:)(?=[A-Za-z_*])/g)) out.add(m[1]!);
  return [...out];
}
