import { DoubleType, IntegerType, StringType, XPathExpressionType, parseValue } from '../../src/datatypes/registry';
import { CATEGORY, DT, STATUS } from '../../src/model/identifiers';
import type { XacmlResponse, XacmlResult } from '../../src/model/response';
import { parseResponseXml, serializeResponseXml } from '../../src/response/xml-response';
import { compareResponses } from '../support/compare-responses';
import { findFiles, readConformance } from '../support/conformance-files';
import { refusal } from '../support/refusal';

const NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';


const ok = { code: STATUS.ok };
const result = (r: Partial<XacmlResult> = {}): XacmlResult => ({ decision: 'Permit', status: ok, obligations: [], advice: [], attributes: [], ...r });

describe('parseResponseXml on the conformance responses', () => {
  const files = [
    'authzforce-xacml-3.0-from-2.0-ct',
    'authzforce-conformance-others',
    'authzforce-recovered-IIA004-IIA005',
    'authzforce-json-examples',
  ].flatMap((d) => findFiles(d, (n) => /response\.xml(\.ignore)?$/i.test(n)));

  it('finds them', () => {
    expect(files.length).toBeGreaterThan(490);
  });

  it.each(files)('parses %s and round-trips it through serializeResponseXml', (rel) => {
    const parsed = parseResponseXml(readConformance(rel));
    expect(parsed.results.length).toBeGreaterThan(0);
    const again = parseResponseXml(serializeResponseXml(parsed));
    expect(compareResponses(again, parsed, { compareStatusDetail: true })).toEqual([]);
    expect(again).toEqual(parsed);
  });

  it('reads obligations, advice, attributes, policy identifiers and status detail', () => {
    const ig301 = parseResponseXml(readConformance('authzforce-xacml-3.0-from-2.0-ct/optional/xml+json/IIIG301/Response.xml'));
    const ids = ig301.results[0]?.policyIdentifiers;
    expect(ids?.policies.length).toBeGreaterThan(0);
    expect(ids?.policies[0]?.version).not.toBe('');
    const detail = parseResponseXml(readConformance('authzforce-conformance-others/StatusDetail.MissingAttributeDetail/response.xml'));
    expect(detail.results[0]?.status).toEqual({
      code: STATUS.missingAttribute,
      message: 'Missing named Attribute',
      missingAttributes: [
        { category: CATEGORY.accessSubject, attributeId: 'urn:oasis:names:tc:xacml:2.0:conformance-test:some-attribute', datatype: DT.string },
      ],
    });
  });

  it('tolerates unknown attributes and foreign elements, treats a missing Status as ok', () => {
    const res = parseResponseXml(`<Response xmlns="${NS}" xmlns:x="urn:x"><Result ResourceId="r"><Decision>Deny</Decision><x:Extra/>
<Obligations><Obligation ObligationId="o" FulfillOn="Deny"><AttributeAssignment AttributeId="a" DataType="${DT.integer}" Category="c" Issuer="i">7</AttributeAssignment></Obligation></Obligations></Result></Response>`);
    expect(res.results[0]).toEqual(
      result({
        decision: 'Deny',
        obligations: [{ id: 'o', assignments: [{ attributeId: 'a', category: 'c', issuer: 'i', value: { datatype: IntegerType, value: 7n } }] }],
      }),
    );
  });

  it('refuses what is not a response', () => {
    expect(refusal(() => parseResponseXml(`<Request xmlns="${NS}"/>`)).issues[0]?.path).toBe('/Request');
    expect(refusal(() => parseResponseXml(`<Response xmlns="${NS}"/>`)).issues[0]?.message).toMatch(/at least one Result/);
    const err = refusal(() =>
      parseResponseXml(`<Response xmlns="${NS}"><Result><Decision>Maybe</Decision></Result><Result><Status/><Bogus/></Result><Result><Decision>Permit</Decision><Obligations/></Result></Response>`),
    );
    expect(err.issues.map((i) => i.path)).toEqual([
      '/Response/Result[1]/Decision',
      '/Response/Result[2]/Status',
      '/Response/Result[2]/Bogus',
      '/Response/Result[2]',
      '/Response/Result[3]/Obligations',
    ]);
    expect(err.kind).toBe('document');
  });
});

describe('serializeResponseXml', () => {
  const full: XacmlResponse = {
    results: [
      result({
        decision: 'Indeterminate',
        status: {
          code: STATUS.missingAttribute,
          subCode: 'urn:example:sub',
          message: 'need <x> & "y"',
          missingAttributes: [{ category: CATEGORY.resource, attributeId: 'r', datatype: DT.string, issuer: 'me' }],
        },
        obligations: [
          { id: 'urn:o1', assignments: [{ attributeId: 'a', category: CATEGORY.action, issuer: 'iss', value: { datatype: DoubleType, value: 27.5 } }] },
          { id: 'urn:o2', assignments: [] },
        ],
        advice: [{ id: 'urn:adv', assignments: [{ attributeId: 'b', value: { datatype: StringType, value: 'line1\nline2 <&>' } }] }],
        attributes: [
          {
            category: CATEGORY.accessSubject,
            xmlId: 's1',
            attributes: [{ attributeId: 'subject-id', issuer: 'idp', includeInResult: true, values: [{ datatype: StringType, value: 'Julius' }] }],
          },
          {
            category: CATEGORY.resource,
            attributes: [
              {
                attributeId: 'sel',
                includeInResult: true,
                values: [parseValue(DT.xpathExpression, '//md:record[1]', { xpathCategory: CATEGORY.resource, namespaces: { md: 'urn:md', '': 'urn:default' } })],
              },
            ],
          },
        ],
        policyIdentifiers: { policies: [{ id: 'p1', version: '1.0' }], policySets: [{ id: 'ps', version: '2.1' }] },
      }),
      result({ decision: 'NotApplicable' }),
    ],
  };

  it('writes the XACML 3.0 namespace and the elements in schema order', () => {
    const xml = serializeResponseXml(full);
    expect(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<Response xmlns="${NS}">`)).toBe(true);
    const order = ['<Decision>', '<Status>', '<StatusCode', '<StatusMessage>', '<StatusDetail>', '<Obligations>', '<AssociatedAdvice>', '<Attributes', '<PolicyIdentifierList>'].map((t) =>
      xml.indexOf(t),
    );
    expect(order.every((p, i) => p >= 0 && (i === 0 || p > order[i - 1]!))).toBe(true);
    expect(xml).toContain('<StatusCode Value="urn:oasis:names:tc:xacml:1.0:status:missing-attribute"><StatusCode Value="urn:example:sub"/></StatusCode>');
    expect(xml).toContain('need &lt;x&gt; &amp; "y"');
    expect(xml).toContain('<Obligation ObligationId="urn:o2"/>');
    expect(xml).toContain('xml:id="s1"');
    expect(xml).toContain(`XPathCategory="${CATEGORY.resource}" xmlns:md="urn:md">//md:record[1]</AttributeValue>`);
    expect(xml).toContain('<PolicyIdReference Version="1.0">p1</PolicyIdReference><PolicySetIdReference Version="2.1">ps</PolicySetIdReference>');
    expect(xml).toContain('<Decision>NotApplicable</Decision><Status><StatusCode Value="urn:oasis:names:tc:xacml:1.0:status:ok"/></Status></Result>');
  });

  it('round-trips every part of the model', () => {
    const back = parseResponseXml(serializeResponseXml(full));
    expect(compareResponses(back, full, { compareStatusDetail: true })).toEqual([]);
    const r = back.results[0]!;
    expect(r.status).toEqual(full.results[0]!.status);
    expect(r.advice[0]?.assignments[0]?.value.value).toBe('line1\nline2 <&>');
    const xp = r.attributes[1]?.attributes[0]?.values[0];
    expect(xp?.datatype).toBe(XPathExpressionType);
    expect(xp?.value).toMatchObject({ path: '//md:record[1]', category: CATEGORY.resource });
    expect((xp?.value as { namespaces: Record<string, string> }).namespaces.md).toBe('urn:md');
    expect(r.attributes[0]?.xmlId).toBe('s1');
  });
});

describe('compareResponses', () => {
  const parse = (body: string): XacmlResponse => parseResponseXml(`<Response xmlns="${NS}">${body}</Response>`);
  const status = (code: string, msg = ''): string => `<Status><StatusCode Value="${code}"/>${msg ? `<StatusMessage>${msg}</StatusMessage>` : ''}</Status>`;

  it('treats a missing Status as ok and ignores StatusMessage and nested codes', () => {
    expect(compareResponses(parse(`<Result><Decision>Permit</Decision>${status(STATUS.ok, 'fine')}</Result>`), parse('<Result><Decision>Permit</Decision></Result>'))).toEqual([]);
    const nested = parse(`<Result><Decision>Indeterminate</Decision><Status><StatusCode Value="${STATUS.processingError}"><StatusCode Value="urn:x"/></StatusCode></Status></Result>`);
    expect(compareResponses(nested, parse(`<Result><Decision>Indeterminate</Decision>${status(STATUS.processingError)}</Result>`))).toEqual([]);
  });

  it('reports decision and status differences', () => {
    const diffs = compareResponses(
      parse(`<Result><Decision>Deny</Decision>${status(STATUS.processingError, 'boom')}</Result>`),
      parse('<Result><Decision>Permit</Decision></Result>'),
    );
    expect(diffs).toEqual(['Result: decision Deny, expected Permit', `Result: status ${STATUS.processingError}, expected ${STATUS.ok} (actual message: boom)`]);
  });

  it('compares results, obligations, assignments and policy ids as multisets', () => {
    const o = (id: string, v: string): string =>
      `<Obligation ObligationId="${id}"><AttributeAssignment AttributeId="a" DataType="${DT.string}">${v}</AttributeAssignment><AttributeAssignment AttributeId="b" DataType="${DT.string}">z</AttributeAssignment></Obligation>`;
    const a = parse(
      `<Result><Decision>Permit</Decision><Obligations>${o('o1', 'x')}${o('o2', 'y')}</Obligations><PolicyIdentifierList><PolicyIdReference Version="1">p</PolicyIdReference><PolicyIdReference Version="1">q</PolicyIdReference></PolicyIdentifierList></Result><Result><Decision>Deny</Decision></Result>`,
    );
    const b = parse(
      `<Result><Decision>Deny</Decision></Result><Result><Decision>Permit</Decision><Obligations>${o('o2', 'y')}${o('o1', 'x')}</Obligations><PolicyIdentifierList><PolicyIdReference Version="1">q</PolicyIdReference><PolicyIdReference Version="1">p</PolicyIdReference></PolicyIdentifierList></Result>`,
    );
    expect(compareResponses(a, b)).toEqual([]);
    const c = parse(`<Result><Decision>Deny</Decision></Result><Result><Decision>Permit</Decision><Obligations>${o('o1', 'x')}${o('o1', 'x')}</Obligations></Result>`);
    const diffs = compareResponses(a, c);
    expect(diffs.some((d) => d.startsWith('Result[2]: missing obligation o1'))).toBe(true);
    expect(diffs.some((d) => d.startsWith('Result[2]: unexpected obligation o2'))).toBe(true);
    expect(diffs.some((d) => d.includes('unexpected policy identifier Policy p v1'))).toBe(true);
  });

  it('reports missing and unexpected results', () => {
    const one = parse('<Result><Decision>Permit</Decision></Result>');
    const two = parse('<Result><Decision>Permit</Decision></Result><Result><Decision>Deny</Decision></Result>');
    expect(compareResponses(one, two)).toEqual(['1 result(s), expected 2', `missing result: Deny; ${STATUS.ok}`]);
    expect(compareResponses(two, one)).toEqual(['2 result(s), expected 1', `unexpected result: Deny; ${STATUS.ok}`]);
  });

  it('compares values by datatype (27.50 equals 27.5 as a double, not as a string)', () => {
    const v = (dt: string, lex: string): XacmlResponse =>
      parse(`<Result><Decision>Permit</Decision><AssociatedAdvice><Advice AdviceId="a"><AttributeAssignment AttributeId="x" DataType="${dt}">${lex}</AttributeAssignment></Advice></AssociatedAdvice></Result>`);
    expect(compareResponses(v(DT.double, '27.50'), v(DT.double, '27.5'))).toEqual([]);
    expect(compareResponses(v(DT.string, '27.50'), v(DT.string, '27.5'))).toHaveLength(2);
    expect(compareResponses(v(DT.integer, '27'), v(DT.double, '27'))).toHaveLength(2);
  });

  it('sorts result attributes by category and id, and compares their values', () => {
    const attrs = (...parts: [string, string, string][]): XacmlResponse =>
      parse(
        `<Result><Decision>Permit</Decision>${parts
          .map(([c, id, v]) => `<Attributes Category="${c}"><Attribute AttributeId="${id}" IncludeInResult="true"><AttributeValue DataType="${DT.string}">${v}</AttributeValue></Attribute></Attributes>`)
          .join('')}</Result>`,
      );
    const x = attrs([CATEGORY.resource, 'r', '1'], [CATEGORY.accessSubject, 's', '2']);
    expect(compareResponses(x, attrs([CATEGORY.accessSubject, 's', '2'], [CATEGORY.resource, 'r', '1']))).toEqual([]);
    expect(compareResponses(x, attrs([CATEGORY.accessSubject, 's', '3'], [CATEGORY.resource, 'r', '1']))).toEqual([
      `Result: missing result attribute ${CATEGORY.accessSubject} s = [${DT.string}:3]`,
      `Result: unexpected result attribute ${CATEGORY.accessSubject} s = [${DT.string}:2]`,
    ]);
  });

  it('compares StatusDetail only when asked', () => {
    const withDetail = parseResponseXml(readConformance('authzforce-conformance-others/StatusDetail.MissingAttributeDetail/response.xml'));
    const without = parse(`<Result><Decision>Indeterminate</Decision>${status(STATUS.missingAttribute)}</Result>`);
    expect(compareResponses(without, withDetail)).toEqual([]);
    expect(compareResponses(without, withDetail, { compareStatusDetail: true })).toEqual([
      `Result: missing missing-attribute detail ${CATEGORY.accessSubject} urn:oasis:names:tc:xacml:2.0:conformance-test:some-attribute ${DT.string}`,
    ]);
  });
});
