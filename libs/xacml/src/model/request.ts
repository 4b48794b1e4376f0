/**
 * The parsed request context (XACML 3.0 §5.42 Request), independent of its wire format
 * (XML or JSON Profile). A request may still hold repeated categories or MultiRequests;
 * `request/individual-requests.ts` expands it into individual decision requests.
 */
import type { Document } from '@xmldom/xmldom';
import type { AttributeValue } from './values';

export interface RequestAttribute {
  readonly attributeId: string;
  readonly issuer?: string;
  readonly includeInResult: boolean;
  /** All values share one datatype in practice; each value carries its own. */
  readonly values: readonly AttributeValue[];
}

export interface RequestCategory {
  readonly category: string;
  /** xml:id (XML) or Id (JSON), referenced from MultiRequests. */
  readonly xmlId?: string;
  readonly attributes: readonly RequestAttribute[];
  /** The `<Content>` element's single child, as a DOM document, for XPath. */
  readonly content?: Document;
}

export interface RequestReference {
  readonly referenceIds: readonly string[];
}

export interface XacmlRequest {
  readonly returnPolicyIdList: boolean;
  readonly combinedDecision: boolean;
  readonly categories: readonly RequestCategory[];
  readonly multiRequests?: readonly RequestReference[];
  /** RequestDefaults/XPathVersion, when given. */
  readonly xpathVersion?: string;
  /**
   * A XACML 2.0 request as a whole (built on first use): the context node of the 2.0
   * string-typed xpath-node-* functions, whose paths address the 2.0 request context.
   */
  readonly v2Context?: () => Document | undefined;
}
