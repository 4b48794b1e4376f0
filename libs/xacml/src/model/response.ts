/** The response context (XACML 3.0 §5.47 Response), independent of its wire format. */
import type { RequestCategory } from './request';
import type { Status } from './status';
import type { AttributeValue } from './values';

export type Decision = 'Permit' | 'Deny' | 'NotApplicable' | 'Indeterminate';

export interface AttributeAssignment {
  readonly attributeId: string;
  readonly category?: string;
  readonly issuer?: string;
  readonly value: AttributeValue;
}

/** An obligation or an advice: the same shape on the wire. */
export interface PepAction {
  readonly id: string;
  readonly assignments: readonly AttributeAssignment[];
}

export interface IdReference {
  readonly id: string;
  readonly version: string;
}

export interface PolicyIdentifierList {
  readonly policies: readonly IdReference[];
  readonly policySets: readonly IdReference[];
}

export interface XacmlResult {
  readonly decision: Decision;
  readonly status: Status;
  readonly obligations: readonly PepAction[];
  readonly advice: readonly PepAction[];
  /** Attributes of the request marked IncludeInResult, by category. */
  readonly attributes: readonly RequestCategory[];
  /** Present when the request asked for ReturnPolicyIdList. */
  readonly policyIdentifiers?: PolicyIdentifierList;
}

export interface XacmlResponse {
  readonly results: readonly XacmlResult[];
}
