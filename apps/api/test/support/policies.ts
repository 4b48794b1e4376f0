/** Small XACML documents for tests. */
/** Permits `action`; NotApplicable for any other action (the policy's target is the action). */
export function permitPolicy(id: string, version = '1.0', action = 'read'): string {
  return `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="${id}" Version="${version}" RuleCombiningAlgId="urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:first-applicable">
  <Target><AnyOf><AllOf><Match MatchId="urn:oasis:names:tc:xacml:1.0:function:string-equal">
    <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">${action}</AttributeValue>
    <AttributeDesignator Category="urn:oasis:names:tc:xacml:3.0:attribute-category:action" AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" DataType="http://www.w3.org/2001/XMLSchema#string" MustBePresent="false"/>
  </Match></AllOf></AnyOf></Target>
  <Rule RuleId="permit-${action}" Effect="Permit"/>
</Policy>`;
}

export function policySetReferencing(id: string, refs: readonly string[], version = '1.0'): string {
  return `<PolicySet xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicySetId="${id}" Version="${version}" PolicyCombiningAlgId="urn:oasis:names:tc:xacml:3.0:policy-combining-algorithm:permit-overrides">
  <Target/>
  ${refs.map((r) => `<PolicyIdReference>${r}</PolicyIdReference>`).join('\n  ')}
</PolicySet>`;
}

/** A policy calling a function that does not exist: a compile-time error. */
export function policyWithUnknownFunction(id: string): string {
  return `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="${id}" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-unless-permit">
  <Target/>
  <Rule RuleId="r" Effect="Permit">
    <Condition><Apply FunctionId="urn:example:no-such-function"><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#string">x</AttributeValue></Apply></Condition>
  </Rule>
</Policy>`;
}

export function actionRequestJson(action: string, subject = 'someone'): string {
  return JSON.stringify({
    Request: {
      AccessSubject: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id', Value: subject }] },
      Action: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: action }] },
    },
  });
}

export function decisionOf(text: string): string | undefined {
  const body = JSON.parse(text) as { Response: { Decision: string }[] | { Decision: string } };
  return (Array.isArray(body.Response) ? body.Response[0] : body.Response)?.Decision;
}
