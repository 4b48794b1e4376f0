/** The XACML policy the SDK tests decide against, and a variant to observe policy changes. */
const NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
const XS = 'http://www.w3.org/2001/XMLSchema#';
const FN = 'urn:oasis:names:tc:xacml:1.0:function:';
const ACTION = 'urn:oasis:names:tc:xacml:3.0:attribute-category:action';
const SUBJECT = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';
const RESOURCE = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
const ENVIRONMENT = 'urn:oasis:names:tc:xacml:3.0:attribute-category:environment';
const INTERMEDIARY = 'urn:oasis:names:tc:xacml:1.0:subject-category:intermediary-subject';

const str = (v: string) => `<AttributeValue DataType="${XS}string">${v}</AttributeValue>`;
const designator = (category: string, id: string, type = 'string', present = false) =>
  `<AttributeDesignator Category="${category}" AttributeId="${id}" DataType="${XS}${type}" MustBePresent="${present}"/>`;
const onAction = (name: string) =>
  `<Target><AnyOf><AllOf><Match MatchId="${FN}string-equal">${str(name)}${designator(ACTION, 'urn:oasis:names:tc:xacml:1.0:action:action-id')}</Match></AllOf></AnyOf></Target>`;
const obligation = (id: string, assignments: Record<string, string>) =>
  `<ObligationExpression ObligationId="${id}" FulfillOn="Permit">${Object.entries(assignments)
    .map(([k, v]) => `<AttributeAssignmentExpression AttributeId="${k}">${str(v)}</AttributeAssignmentExpression>`)
    .join('')}</ObligationExpression>`;

/**
 * read → Permit; write → Deny; export → Permit + obligation audit(level=high) + advice notify;
 * share → Permit + an obligation nobody handles; broken → Indeterminate (a required attribute
 * is missing); forward → Permit only when intermediary-subject is proxy-eu; consult → Permit
 * when the AuthZEN-mapped attributes say doctor, record, purpose care and clearance >= 3;
 * deny-with-obligation → Deny carrying obligation audit; anything else NotApplicable.
 * `readEffect` changes what read gives (to observe a policy change).
 */
export function sdkTestPolicy(version = '1.0', readEffect: 'Permit' | 'Deny' = 'Permit'): string {
  return `<Policy xmlns="${NS}" PolicyId="pep-test" Version="${version}" RuleCombiningAlgId="urn:oasis:names:tc:xacml:1.0:rule-combining-algorithm:first-applicable">
  <Target/>
  <Rule RuleId="read" Effect="${readEffect}">${onAction('read')}</Rule>
  <Rule RuleId="write" Effect="Deny">${onAction('write')}</Rule>
  <Rule RuleId="export" Effect="Permit">${onAction('export')}
    <ObligationExpressions>${obligation('urn:test:obligation:audit', { 'urn:test:attr:level': 'high', 'urn:test:attr:channel': 'syslog' })}</ObligationExpressions>
    <AdviceExpressions><AdviceExpression AdviceId="urn:test:advice:notify" AppliesTo="Permit"><AttributeAssignmentExpression AttributeId="urn:test:attr:to">${str('dpo@example.org')}</AttributeAssignmentExpression></AdviceExpression></AdviceExpressions>
  </Rule>
  <Rule RuleId="share" Effect="Permit">${onAction('share')}
    <ObligationExpressions>${obligation('urn:test:obligation:unknown', {})}</ObligationExpressions>
  </Rule>
  <Rule RuleId="broken" Effect="Permit">${onAction('broken')}
    <Condition><Apply FunctionId="${FN}string-equal"><Apply FunctionId="${FN}string-one-and-only">${designator(SUBJECT, 'urn:test:missing', 'string', true)}</Apply>${str('x')}</Apply></Condition>
  </Rule>
  <Rule RuleId="forward" Effect="Permit">${onAction('forward')}
    <Condition><Apply FunctionId="${FN}string-is-in">${str('proxy-eu')}${designator(INTERMEDIARY, 'urn:oasis:names:tc:xacml:1.0:subject:subject-id')}</Apply></Condition>
  </Rule>
  <Rule RuleId="consult" Effect="Permit">${onAction('consult')}
    <Condition><Apply FunctionId="${FN}and">
      <Apply FunctionId="${FN}string-is-in">${str('doctor')}${designator(SUBJECT, 'urn:safax:1.0:authzen:subject:role')}</Apply>
      <Apply FunctionId="${FN}string-is-in">${str('record')}${designator(RESOURCE, 'urn:safax:1.0:authzen:resource:type')}</Apply>
      <Apply FunctionId="${FN}string-is-in">${str('care')}${designator(ENVIRONMENT, 'urn:safax:1.0:authzen:context:purpose')}</Apply>
      <Apply FunctionId="${FN}integer-greater-than-or-equal"><Apply FunctionId="${FN}integer-one-and-only">${designator(SUBJECT, 'urn:safax:1.0:authzen:subject:clearance', 'integer')}</Apply><AttributeValue DataType="${XS}integer">3</AttributeValue></Apply>
    </Apply></Condition>
  </Rule>
  <Rule RuleId="deny-with-obligation" Effect="Deny">${onAction('deny-with-obligation')}
    <ObligationExpressions><ObligationExpression ObligationId="urn:test:obligation:audit" FulfillOn="Deny"><AttributeAssignmentExpression AttributeId="urn:test:attr:level">${str('deny')}</AttributeAssignmentExpression></ObligationExpression></ObligationExpressions>
  </Rule>
</Policy>`;
}
