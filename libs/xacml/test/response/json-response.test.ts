import { DoubleType, IntegerType, parseValue } from '../../src/datatypes/registry';
import { CATEGORY, DT, STATUS } from '../../src/model/identifiers';
import type { XacmlResponse } from '../../src/model/response';
import { parseResponseJson, serializeResponseJson } from '../../src/response/json-response';
import { parseResponseXml } from '../../src/response/xml-response';
import { compareResponses } from '../support/compare-responses';
import { findFiles, readConformance } from '../support/conformance-files';
import { refusal } from '../support/refusal';


const SAMPLES = 'authzforce-xacml-json-model-samples/xacml+json.samples/Responses';
const json = (n: string): boolean => n.endsWith('.json');

describe('parseResponseJson on the JSON model samples', () => {
  const valid = findFiles(`${SAMPLES}/valid`, json);
  const invalid = findFiles(`${SAMPLES}/invalid`, json);

  it('finds them', () => {
    expect(valid).toHaveLength(12);
    expect(invalid).toHaveLength(11);
  });

  it.each(valid)('parses valid %s', (rel) => {
    const res = parseResponseJson(readConformance(rel));
    expect(res.results.length).toBeGreaterThan(0);
    // Parsed from text or from an already-parsed value: the same response.
    expect(parseResponseJson(JSON.parse(readConformance(rel)))).toEqual(res);
  });

  it.each(invalid)('refuses invalid %s', (rel) => {
    const err = refusal(() => parseResponseJson(readConformance(rel)));
    expect(err.kind).toBe('document');
  });

  it('says where the invalid samples are wrong', () => {
    const pathOf = (name: string): string[] => refusal(() => parseResponseJson(readConformance(`${SAMPLES}/invalid/${name}`))).issues.map((i) => i.path);
    expect(pathOf('additional-property.json')).toEqual(['/Bad']);
    expect(pathOf('Response-value-null.json')).toEqual(['/Response']);
    expect(pathOf('Response-value-array-empty.json')).toEqual(['/Response']);
    expect(pathOf('Response-value-array-item-empty-object.json')).toEqual(['/Response[0]']);
    expect(pathOf('Result-additional-property.json')).toEqual(['/Response[0]/Bad']);
    expect(pathOf('Decision-value-invalid.json')).toEqual(['/Response[0]/Decision']);
    expect(pathOf('Obligations-value-array-empty.json')).toEqual(['/Response[0]/Obligations']);
    expect(pathOf('Obligation-additional-property.json')).toEqual(['/Response[0]/Obligations[0]/Bad']);
    expect(pathOf('AttributeAssignment-additional-property.json')).toEqual(['/Response[0]/Obligations[0]/AttributeAssignment[0]/Bad']);
    expect(pathOf('PolicyIdentifierList-additional-property.json')).toEqual(['/Response[0]/PolicyIdentifierList/Bad']);
    expect(pathOf('IdReference-additional-property.json')).toEqual(['/Response[0]/PolicyIdentifierList/PolicyIdReference[0]/Bad']);
  });

  it('reads the parts of the samples into the model', () => {
    const nested = parseResponseJson(readConformance(`${SAMPLES}/valid/StatusCode-nested.json`));
    expect(nested.results[0]?.status).toEqual({ code: STATUS.ok, subCode: STATUS.ok });
    const obligation = parseResponseJson(readConformance(`${SAMPLES}/valid/Obligation-with-AttributeAssignment.json`));
    expect(obligation.results[0]?.obligations.map((o) => [o.id, o.assignments.map((a) => a.value.value)])).toEqual([
      ['urn:oasis:names:tc:xacml:example:obligation:email', ['Your medical record has been accessed']],
      ['urn:oasis:names:tc:xacml:example:obligation:log', []],
    ]);
    const ids = parseResponseJson(readConformance(`${SAMPLES}/valid/PolicyIdentifierList-value-PolicyIdReference-single.json`));
    expect(ids.results[0]?.policyIdentifiers).toEqual({ policies: [{ id: 'urn:oasis:names:tc:xacml:3.0:example:SimplePolicy1', version: '1.0' }], policySets: [] });
    const cat = parseResponseJson(readConformance(`${SAMPLES}/valid/Category-value-object.json`));
    expect(cat.results[0]?.attributes[0]?.category).toBe(CATEGORY.action);
    expect(cat.results[0]?.attributes[0]?.attributes[0]?.values[0]?.datatype.id).toBe(DT.anyURI);
  });
});

describe('JSON responses of the authzforce examples', () => {
  it('reads IIA001 Response.json like its XML twin', () => {
    const dir = 'authzforce-json-examples/pdp-cli/src/test/resources/conformance/xacml-3.0-core/mandatory/IIA001';
    expect(compareResponses(parseResponseJson(readConformance(`${dir}/Response.json`)), parseResponseXml(readConformance(`${dir}/Response.xml`)))).toEqual([]);
  });

  it('reads the GH-42 syntax-error response', () => {
    const res = parseResponseJson(readConformance('authzforce-json-examples/pdp-testutils/src/test/resources.json/NonRegression/GH-42/Response.json'));
    expect(res.results[0]).toMatchObject({ decision: 'Indeterminate', status: { code: STATUS.syntaxError, message: 'InvalidAttributes/Attribute element' } });
  });
});

describe('serializeResponseJson', () => {
  it('round-trips every conformance response through JSON', () => {
    const files = ['authzforce-xacml-3.0-from-2.0-ct', 'authzforce-conformance-others'].flatMap((d) => findFiles(d, (n) => /response\.xml$/i.test(n)));
    expect(files.length).toBeGreaterThan(480);
    for (const rel of files) {
      const xml = parseResponseXml(readConformance(rel));
      const back = parseResponseJson(JSON.stringify(serializeResponseJson(xml)));
      const diffs = compareResponses(back, xml, { compareStatusDetail: true });
      if (diffs.length > 0) throw new Error(`${rel}: ${diffs.join('; ')}`);
    }
  });

  it('writes the JSON Profile shape, omitting empty lists', () => {
    const res: XacmlResponse = {
      results: [
        {
          decision: 'Indeterminate',
          status: { code: STATUS.missingAttribute, subCode: 'urn:sub', message: 'm', missingAttributes: [{ category: CATEGORY.resource, attributeId: 'r', datatype: DT.string }] },
          obligations: [{ id: 'o', assignments: [{ attributeId: 'a', category: 'c', value: { datatype: IntegerType, value: 12345678901234567890n } }] }],
          advice: [],
          attributes: [
            {
              category: CATEGORY.resource,
              attributes: [
                { attributeId: 'd', includeInResult: true, values: [{ datatype: DoubleType, value: 2.5 }, { datatype: DoubleType, value: Number.POSITIVE_INFINITY }] },
                { attributeId: 'x', includeInResult: true, values: [parseValue(DT.xpathExpression, '//a:b', { xpathCategory: CATEGORY.resource, namespaces: { a: 'urn:a', xml: 'http://www.w3.org/XML/1998/namespace' } })] },
              ],
            },
          ],
          policyIdentifiers: { policies: [], policySets: [{ id: 'ps', version: '1.0' }] },
        },
        { decision: 'Permit', status: { code: STATUS.ok }, obligations: [], advice: [], attributes: [] },
      ],
    };
    expect(serializeResponseJson(res)).toEqual({
      Response: [
        {
          Decision: 'Indeterminate',
          Status: {
            StatusCode: { Value: STATUS.missingAttribute, StatusCode: { Value: 'urn:sub' } },
            StatusMessage: 'm',
            StatusDetail: [{ Category: CATEGORY.resource, AttributeId: 'r', DataType: DT.string }],
          },
          Obligations: [{ Id: 'o', AttributeAssignment: [{ AttributeId: 'a', Value: '12345678901234567890', DataType: DT.integer, Category: 'c' }] }],
          Category: [
            {
              CategoryId: CATEGORY.resource,
              Attribute: [
                { AttributeId: 'd', Value: [2.5, 'INF'], DataType: DT.double, IncludeInResult: true },
                { AttributeId: 'x', Value: { XPathCategory: CATEGORY.resource, XPath: '//a:b', Namespaces: [{ Prefix: 'a', Namespace: 'urn:a' }] }, DataType: DT.xpathExpression, IncludeInResult: true },
              ],
            },
          ],
          PolicyIdentifierList: { PolicySetIdReference: [{ Id: 'ps', Version: '1.0' }] },
        },
        { Decision: 'Permit', Status: { StatusCode: { Value: STATUS.ok } } },
      ],
    });
    const back = parseResponseJson(serializeResponseJson(res));
    expect(compareResponses(back, res, { compareStatusDetail: true })).toEqual([]);
    expect(back.results[0]?.obligations[0]?.assignments[0]?.value.value).toBe(12345678901234567890n);
  });

  it('refuses a response with a bad StatusCode or assignment value', () => {
    const err = refusal(() =>
      parseResponseJson({
        Response: [
          { Decision: 'Permit', Status: { StatusCode: {} } },
          { Decision: 'Deny', Obligations: [{ Id: 'o', AttributeAssignment: [{ AttributeId: 'a', Value: 'x', DataType: 'integer' }] }] },
        ],
      }),
    );
    expect(err.issues.map((i) => i.path)).toEqual(['/Response[0]/Status/StatusCode', '/Response[1]/Obligations[0]/AttributeAssignment[0]/Value']);
  });
});
