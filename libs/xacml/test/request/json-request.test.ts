import { basename } from 'node:path';
import { CATEGORY, DT } from '../../src/model/identifiers';
import type { XacmlRequest } from '../../src/model/request';
import type { XPathExpressionValue } from '../../src/datatypes/xpath-expression';
import { parseRequestJson } from '../../src/request/json-request';
import { checkJsonLimits, parseJsonText, withJsonDefaults, type JsonLimits } from '../../src/request/json-text';
import { parseRequestXml } from '../../src/request/xml-request';
import { findFiles, readConformance } from '../support/conformance-files';
import { refusal } from '../support/refusal';


const SAMPLES = 'authzforce-xacml-json-model-samples/xacml+json.samples/Requests';
const json = (n: string): boolean => n.endsWith('.json');

/**
 * Schema-valid samples this reader refuses on purpose: an object Value without DataType
 * xpathExpression has no meaning (the JSON Profile says inference must fail for objects, and
 * `{}` lacks the mandatory XPathCategory and XPath).
 */
const REFUSED_BY_DESIGN = new Set(['Attribute-Value-object.json', 'Attribute-Value-array-object.json']);

describe('parseRequestJson on the JSON model samples', () => {
  const valid = findFiles(`${SAMPLES}/valid`, json);
  const invalid = findFiles(`${SAMPLES}/invalid`, json);

  it('finds the samples', () => {
    expect(valid.length).toBe(12);
    expect(invalid.length).toBe(15);
  });

  it.each(valid.filter((f) => !REFUSED_BY_DESIGN.has(basename(f))))('parses valid %s', (rel) => {
    const req = parseRequestJson(readConformance(rel));
    expect(req.categories.length).toBeGreaterThan(0);
  });

  it.each(valid.filter((f) => REFUSED_BY_DESIGN.has(basename(f))))('refuses %s: object value without DataType xpathExpression', (rel) => {
    const err = refusal(() => parseRequestJson(readConformance(rel)));
    expect(err.issues[0]).toMatchObject({ code: 'invalid-value', path: '/Request/Category[0]/Attribute[0]/Value' });
    expect(err.issues[0]?.message).toContain('xpathExpression');
  });

  it.each(invalid)('refuses invalid %s', (rel) => {
    const err = refusal(() => parseRequestJson(readConformance(rel)));
    expect(err.kind).toBe('request');
    expect(err.issues.length).toBeGreaterThan(0);
  });

  it('says where the invalid samples are wrong', () => {
    const pathOf = (name: string): string[] => refusal(() => parseRequestJson(readConformance(`${SAMPLES}/invalid/${name}`))).issues.map((i) => i.path);
    expect(pathOf('additional-property.json')).toEqual(['/Bad']);
    expect(pathOf('Request-additional-property.json')).toEqual(['/Request/Bad']);
    expect(pathOf('Request-value-array.json')).toEqual(['/Request']);
    expect(pathOf('Request-value-object-empty.json')).toEqual(['/Request']);
    expect(pathOf('Category-value-object.json')).toEqual(['/Request/Category']);
    expect(pathOf('Category-value-array-empty.json')).toEqual(['/Request/Category']);
    expect(pathOf('Category-array-item-empty-object.json')).toEqual(['/Request/Category[0]']);
    expect(pathOf('Category-array-item-additional-property.json')).toEqual(['/Request/Category[0]/Bad']);
    expect(pathOf('Attribute-item-additional-property.json')).toEqual(['/Request/Category[0]/Attribute[0]/Bad']);
    expect(pathOf('Attribute-Value-missing.json')).toEqual(['/Request/Category[0]/Attribute[0]']);
    expect(pathOf('Attribute-Value-null.json')).toEqual(['/Request/Category[0]/Attribute[0]/Value']);
    expect(pathOf('Attribute-Value-array-null.json')).toEqual(['/Request/Category[0]/Attribute[0]/Value[0]']);
    expect(pathOf('Attribute-Value-array-mixed-string-boolean.json')).toEqual(['/Request/Category[0]/Attribute[0]/Value']);
    expect(pathOf('ReturnPolicyIdList-value-number.json')).toEqual(['/Request/ReturnPolicyIdList']);
    expect(pathOf('spec-8.1-request-example-orig.json')).toEqual([
      '/Request/Category[0]/Attribute[1]/ AttributeId',
      '/Request/Category[0]/Attribute[1]',
      '/Request/Category[1]/Attribute',
    ]);
  });
});

describe('JSON limits (json.samples with depth 3, 2 keys, 2 items, 10 characters)', () => {
  const limits: JsonLimits = { maxBytes: 1000, maxDepth: 3, maxKeys: 2, maxArrayItems: 2, maxStringLength: 10 };
  const dir = 'authzforce-xacml-json-model-samples/json.samples';
  const valid = findFiles(`${dir}/valid`, json);
  const invalid = findFiles(`${dir}/invalid`, json);

  it('finds the samples', () => {
    expect(valid).toHaveLength(13);
    expect(invalid).toHaveLength(13);
  });

  it.each(valid)('accepts %s as text and as a parsed value', (rel) => {
    const text = readConformance(rel);
    expect(parseJsonText(text, limits, 'request')).toBeDefined();
    expect(() => checkJsonLimits(JSON.parse(text), limits, 'request')).not.toThrow();
  });

  it.each(invalid)('refuses %s as text and as a parsed value', (rel) => {
    const text = readConformance(rel);
    expect(refusal(() => parseJsonText(text, limits, 'request')).code).toBe('limit-exceeded');
    expect(refusal(() => checkJsonLimits(JSON.parse(text), limits, 'request')).code).toBe('limit-exceeded');
  });

  it('refuses text beyond maxBytes, and applies limits through parseRequestJson', () => {
    const text = readConformance('authzforce-json-examples/pdp-cli/src/test/resources/conformance/xacml-3.0-core/mandatory/IIA001/Request.json');
    expect(refusal(() => parseRequestJson(text, { limits: { maxBytes: 100 } })).code).toBe('limit-exceeded');
    expect(refusal(() => parseRequestJson(text, { limits: { maxDepth: 6 } })).code).toBe('limit-exceeded');
    expect(refusal(() => parseRequestJson(JSON.parse(text), { limits: { maxStringLength: 20 } })).code).toBe('limit-exceeded');
    expect(parseRequestJson(text, { limits: { maxDepth: 7 } }).categories).toHaveLength(4);
  });

  it('reports the path and line of a limit or syntax problem', () => {
    const err = refusal(() => parseJsonText('{\n "a": [1, 2,\n 3]}', { ...withJsonDefaults(), maxArrayItems: 2 }, 'request'));
    expect(err.issues[0]).toMatchObject({ code: 'limit-exceeded', path: '/a', line: 3 });
    const bad = refusal(() => parseJsonText('{"a": {"b": tru}}', withJsonDefaults(), 'request'));
    expect(bad.issues[0]).toMatchObject({ code: 'malformed-json', path: '/a/b', line: 1 });
  });

  it('refuses duplicate members, trailing text and non-JSON values', () => {
    expect(refusal(() => parseJsonText('{"a":1,"a":2}', withJsonDefaults(), 'request')).issues[0]?.message).toContain('duplicate');
    expect(refusal(() => parseJsonText('{} x', withJsonDefaults(), 'request')).code).toBe('malformed-json');
    expect(refusal(() => checkJsonLimits({ a: undefined }, withJsonDefaults(), 'request')).code).toBe('malformed-json');
    expect(refusal(() => checkJsonLimits({ a: NaN }, withJsonDefaults(), 'request')).code).toBe('malformed-json');
  });

  it('reads strings with escapes and keeps __proto__ a plain member', () => {
    const v = parseJsonText('{"s":"a\\"b\\\\c\\u00e9\\n","__proto__":{"x":1}}', withJsonDefaults(), 'request') as Record<string, unknown>;
    expect(v.s).toBe('a"b\\cé\n');
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['s', '__proto__']);
  });
});

describe('parseRequestJson: JSON Profile 1.1 features', () => {
  it('reads IIA001 in JSON like its XML twin', () => {
    const dir = 'authzforce-json-examples/pdp-cli/src/test/resources/conformance/xacml-3.0-core/mandatory/IIA001';
    const fromJson = parseRequestJson(readConformance(`${dir}/Request.json`));
    const fromXml = parseRequestXml(readConformance(`${dir}/Request.xml`));
    expect(summary(fromJson)).toEqual(summary(fromXml));
  });

  it('refuses GH-42 (unknown DataType) at the DataType member', () => {
    const err = refusal(() =>
      parseRequestJson(readConformance('authzforce-json-examples/pdp-testutils/src/test/resources.json/NonRegression/GH-42/Request.json')),
    );
    expect(err.issues).toEqual([
      { code: 'unknown-datatype', path: '/Request/Category[0]/Attribute[0]/DataType', message: 'unknown datatype "http://www.w3.org/2001/XMLSchema#in"' },
    ]);
  });

  it('reads shorthand categories (object or array), in document order, with their Ids', () => {
    const req = parseRequestJson({
      Request: {
        AccessSubject: [{ Attribute: [{ AttributeId: 'a', Value: 'x' }] }, { Id: 's2', Attribute: [{ AttributeId: 'a', Value: 'y' }] }],
        Resource: { CategoryId: CATEGORY.resource, Attribute: [] },
        Category: [{ CategoryId: 'urn:custom', Attribute: [{ AttributeId: 'c', Value: true }] }],
        Action: { Attribute: [{ AttributeId: 'act', Value: 'read', IncludeInResult: true, Issuer: 'me' }] },
        RecipientSubject: {},
        IntermediarySubject: {},
        Codebase: {},
        RequestingMachine: {},
        Environment: {},
        ReturnPolicyIdList: true,
        CombinedDecision: false,
        XPathVersion: 'http://www.w3.org/TR/1999/REC-xpath-19991116',
      },
    });
    expect(req.categories.map((c) => c.category)).toEqual([
      CATEGORY.accessSubject,
      CATEGORY.accessSubject,
      CATEGORY.resource,
      'urn:custom',
      CATEGORY.action,
      CATEGORY.recipientSubject,
      CATEGORY.intermediarySubject,
      CATEGORY.codebase,
      CATEGORY.requestingMachine,
      CATEGORY.environment,
    ]);
    expect(req.categories[1]?.xmlId).toBe('s2');
    expect(req.categories[4]?.attributes[0]).toMatchObject({ attributeId: 'act', includeInResult: true, issuer: 'me' });
    expect(req.returnPolicyIdList).toBe(true);
    expect(req.xpathVersion).toBe('http://www.w3.org/TR/1999/REC-xpath-19991116');
  });

  it('refuses a shorthand whose CategoryId says otherwise, and an empty shorthand array', () => {
    const err = refusal(() => parseRequestJson({ Request: { Resource: { CategoryId: CATEGORY.action }, AccessSubject: [] } }));
    expect(err.issues.map((i) => i.path)).toEqual(['/Request/Resource/CategoryId', '/Request/AccessSubject']);
  });

  const valueOf = (attr: Record<string, unknown>): { datatype: string; values: unknown[] } => {
    const req = parseRequestJson(JSON.stringify({ Request: { AccessSubject: { Attribute: [{ AttributeId: 'a', ...attr }] } } }));
    const values = req.categories[0]!.attributes[0]!.values;
    return { datatype: values[0]?.datatype.id ?? '', values: values.map((v) => v.value) };
  };

  it('infers datatypes from JSON values', () => {
    expect(valueOf({ Value: 'x' })).toEqual({ datatype: DT.string, values: ['x'] });
    expect(valueOf({ Value: true })).toEqual({ datatype: DT.boolean, values: [true] });
    expect(valueOf({ Value: 12 })).toEqual({ datatype: DT.integer, values: [12n] });
    expect(valueOf({ Value: 1.5 })).toEqual({ datatype: DT.double, values: [1.5] });
    expect(valueOf({ Value: [1, 2.5] })).toEqual({ datatype: DT.double, values: [1, 2.5] });
    expect(valueOf({ Value: ['one', 2] })).toEqual({ datatype: DT.string, values: ['one', '2'] });
    expect(valueOf({ Value: [] })).toEqual({ datatype: '', values: [] });
  });

  it('keeps the source text of numbers: 1.0 is a double, big integers keep their digits', () => {
    const req = parseRequestJson('{"Request":{"Resource":{"Attribute":[{"AttributeId":"d","Value":1.0},{"AttributeId":"i","Value":123456789012345678901234567890}]}}}');
    const [d, i] = req.categories[0]!.attributes;
    expect(d?.values[0]?.datatype.id).toBe(DT.double);
    expect(i?.values[0]?.value).toBe(123456789012345678901234567890n);
    expect(refusal(() => parseRequestJson({ Request: { Resource: { Attribute: [{ AttributeId: 'i', Value: 2 ** 60 }] } } })).issues[0]?.message).toMatch(/too large/);
  });

  it('reads DataType shorthands and full ids, converting JSON values to lexical forms', () => {
    expect(valueOf({ Value: 'PT1H', DataType: 'dayTimeDuration' }).datatype).toBe(DT.dayTimeDuration);
    expect(valueOf({ Value: ['http://a'], DataType: DT.anyURI }).datatype).toBe(DT.anyURI);
    expect(valueOf({ Value: 5, DataType: 'double' })).toEqual({ datatype: DT.double, values: [5] });
    expect(valueOf({ Value: '5', DataType: 'integer' })).toEqual({ datatype: DT.integer, values: [5n] });
    expect(valueOf({ Value: true, DataType: 'string' })).toEqual({ datatype: DT.string, values: ['true'] });
  });

  it('refuses values that do not fit the DataType, with the item path', () => {
    const err = refusal(() =>
      parseRequestJson({
        Request: {
          AccessSubject: {
            Attribute: [
              { AttributeId: 'a', Value: ['1', 'x'], DataType: 'integer' },
              { AttributeId: 'b', Value: true, DataType: 'date' },
              { AttributeId: 'c', Value: 3, DataType: 'anyURI' },
              { AttributeId: 'd', Value: 'x', DataType: 'xpathExpression' },
              { AttributeId: 'e', Value: [[1]] },
              { AttributeId: '', Value: 'x' },
            ],
          },
        },
      }),
    );
    expect(err.issues.map((i) => [i.code, i.path])).toEqual([
      ['invalid-value', '/Request/AccessSubject/Attribute[0]/Value[1]'],
      ['invalid-value', '/Request/AccessSubject/Attribute[1]/Value'],
      ['invalid-value', '/Request/AccessSubject/Attribute[2]/Value'],
      ['invalid-value', '/Request/AccessSubject/Attribute[3]/Value'],
      ['invalid-value', '/Request/AccessSubject/Attribute[4]/Value[0]'],
      ['invalid-structure', '/Request/AccessSubject/Attribute[5]/AttributeId'],
    ]);
  });

  it('reads xpathExpression values given as objects, with their namespaces', () => {
    const { datatype, values } = valueOf({
      DataType: 'xpathExpression',
      Value: { XPathCategory: CATEGORY.resource, Namespaces: [{ Prefix: 'md', Namespace: 'urn:md' }, { Namespace: 'urn:default' }], XPath: '//md:record' },
    });
    expect(datatype).toBe(DT.xpathExpression);
    const v = values[0] as XPathExpressionValue;
    expect(v).toEqual({ path: '//md:record', category: CATEGORY.resource, namespaces: { md: 'urn:md', '': 'urn:default' } });
    const err = refusal(() => valueOf({ DataType: 'xpathExpression', Value: { XPath: '//a', Extra: 1 } }));
    expect(err.issues.map((i) => i.path)).toEqual([
      '/Request/AccessSubject/Attribute[0]/Value/Extra',
      '/Request/AccessSubject/Attribute[0]/Value',
    ]);
  });

  it('reads Content as XML text, safely', () => {
    const req = parseRequestJson({ Request: { Resource: { Content: '<md:record xmlns:md="urn:md"><md:name>Bart</md:name></md:record>' } } });
    expect(req.categories[0]?.content?.documentElement?.localName).toBe('record');
    const xxe = refusal(() => parseRequestJson({ Request: { Resource: { Content: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' } } }));
    expect(xxe.issues[0]).toMatchObject({ code: 'forbidden-construct', path: '/Request/Resource/Content' });
    expect(refusal(() => parseRequestJson({ Request: { Resource: { Content: '<a><b></a>' } } })).issues[0]?.path).toBe('/Request/Resource/Content');
  });

  it('reads MultiRequests and checks the references', () => {
    const req = parseRequestJson({
      Request: {
        AccessSubject: [{ Id: 's1' }, { Id: 's2' }],
        Resource: { Id: 'r' },
        MultiRequests: { RequestReference: [{ ReferenceId: ['s1', 'r'] }, { ReferenceId: ['s2', 'r'] }] },
      },
    });
    expect(req.multiRequests).toEqual([{ referenceIds: ['s1', 'r'] }, { referenceIds: ['s2', 'r'] }]);
    const err = refusal(() =>
      parseRequestJson({
        Request: {
          AccessSubject: [{ Id: 's' }, { Id: 's' }],
          MultiRequests: { RequestReference: [{ ReferenceId: ['x'] }, { ReferenceId: [] }, {}] },
        },
      }),
    );
    expect(err.issues.map((i) => [i.code, i.path])).toEqual([
      ['invalid-structure', '/Request/MultiRequests/RequestReference[1]/ReferenceId'],
      ['invalid-structure', '/Request/MultiRequests/RequestReference[2]'],
      ['duplicate-id', '/Request'],
      ['undefined-reference', '/Request/MultiRequests/RequestReference[0]'],
    ]);
  });

  it('refuses a document that is not an object', () => {
    expect(refusal(() => parseRequestJson('[]')).issues[0]?.path).toBe('/');
    expect(refusal(() => parseRequestJson('{}')).issues[0]?.message).toContain('Request');
    expect(refusal(() => parseRequestJson('{"Request": ')).code).toBe('malformed-json');
  });
});

function summary(req: XacmlRequest): unknown {
  return {
    returnPolicyIdList: req.returnPolicyIdList,
    combinedDecision: req.combinedDecision,
    categories: req.categories.map((c) => ({
      category: c.category,
      attributes: c.attributes.map((a) => ({
        id: a.attributeId,
        issuer: a.issuer,
        include: a.includeInResult,
        values: a.values.map((v) => [v.datatype.id, v.datatype.format(v.value)]),
      })),
    })),
  };
}
