/**
 * What a function may ask of the evaluation it runs in. Kept small so functions stay pure.
 */
import type { Node } from '@xmldom/xmldom';

export interface EvalContext {
  /** The DOM of the `<Content>` of a category of the request, for XPath functions. */
  content(category: string): Node | undefined;
  /** Compatibility mode: XPath prefixes the policy lacks come from the Content's declarations. */
  readonly compatibility?: boolean;
  /** The whole request when it came as XACML 2.0 (the 2.0 XPath functions' context node). */
  v2RequestContext?(): Node | undefined;
  /**
   * Memoised asynchronous work (a UDF calling a trust service). Returns the settled value
   * when known for this evaluation; otherwise schedules `load` and suspends the synchronous
   * evaluation, which the engine restarts once the work settled. A rejected load is rethrown
   * here (as the error it rejected with) every time the same key is asked again.
   */
  external<T>(key: string, load: () => Promise<T>): T;
  /**
   * access-permitted (A.3.16): whether the root policy permits the current request with the
   * Content of `category` replaced by `contentXml`. Absent where no root is known.
   */
  accessPermitted?(category: string, contentXml: string): boolean;
}
