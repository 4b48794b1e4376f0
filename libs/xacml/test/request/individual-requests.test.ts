import { StringType } from '../../src/datatypes/registry';
import { XacmlError } from '../../src/model/errors';
import { CATEGORY } from '../../src/model/identifiers';
import type { RequestCategory, XacmlRequest } from '../../src/model/request';
import { individualRequests } from '../../src/request/individual-requests';
import { parseRequestXml } from '../../src/request/xml-request';
import { readConformance } from '../support/conformance-files';
import type { XPathExpressionValue } from '../../src/datatypes/xpath-expression';

const cat = (category: string, name: string, xmlId?: string): RequestCategory => ({
  category,
  ...(xmlId ? { xmlId } : {}),
  attributes: [{ attributeId: 'name', includeInResult: false, values: [{ datatype: StringType, value: name }] }],
});

const names = (cs: readonly RequestCategory[]): string[] => cs.map((c) => String(c.attributes[0]?.values[0]?.value));

function request(categories: RequestCategory[], extra: Partial<XacmlRequest> = {}): XacmlRequest {
  return { returnPolicyIdList: false, combinedDecision: false, categories, ...extra };
}

describe('individualRequests', () => {
  it('returns the request itself when it has neither MultiRequests nor repeated categories', () => {
    const categories = [cat(CATEGORY.accessSubject, 's'), cat(CATEGORY.resource, 'r')];
    const req = request(categories, { returnPolicyIdList: true, xpathVersion: 'v' });
    const out = individualRequests(req);
    expect(out).toHaveLength(1);
    expect(out[0]?.categories).toBe(categories);
    expect(out[0]?.returnPolicyIdList).toBe(true);
    expect(out[0]?.xpathVersion).toBe('v');
  });

  it('expands repeated categories into their cartesian product, first category varying slowest', () => {
    const req = request([
      cat(CATEGORY.accessSubject, 's1'),
      cat(CATEGORY.resource, 'r1'),
      cat(CATEGORY.accessSubject, 's2'),
      cat(CATEGORY.resource, 'r2'),
      cat(CATEGORY.action, 'a'),
    ]);
    const out = individualRequests(req);
    expect(out.map((r) => names(r.categories))).toEqual([
      ['s1', 'r1', 'a'],
      ['s1', 'r2', 'a'],
      ['s2', 'r1', 'a'],
      ['s2', 'r2', 'a'],
    ]);
    // The category objects are shared, not copied.
    expect(out[3]?.categories[2]).toBe(req.categories[4]);
  });

  it('expands IIIE302 (two access-subject Attributes) into two requests, in request order', () => {
    const req = parseRequestXml(readConformance('authzforce-xacml-3.0-from-2.0-ct/optional/xml+json/IIIE302/Request.xml'));
    const out = individualRequests(req);
    expect(out).toHaveLength(2);
    const subjects = out.map((r) => r.categories.find((c) => c.category === CATEGORY.accessSubject)?.attributes[0]?.values[0]?.value);
    expect(subjects).toEqual(['Julius Hibbert', 'Julius Hilbert']);
    for (const r of out) expect(r.categories.map((c) => c.category)).toEqual([CATEGORY.accessSubject, CATEGORY.resource, CATEGORY.action, CATEGORY.environment]);
  });

  it('resolves MultiRequests by xml:id (IIIE303)', () => {
    const req = parseRequestXml(readConformance('authzforce-xacml-3.0-from-2.0-ct/unsupported/IIIE303Request.xml'));
    const out = individualRequests(req);
    expect(out.map((r) => r.categories.map((c) => c.xmlId))).toEqual([
      ['subject1', 'resource', 'action', 'environment'],
      ['subject2', 'resource', 'action', 'environment'],
    ]);
  });

  it('expands repeated categories inside one RequestReference', () => {
    const req = request(
      [cat(CATEGORY.accessSubject, 's1', 'a'), cat(CATEGORY.accessSubject, 's2', 'b'), cat(CATEGORY.resource, 'r', 'c')],
      { multiRequests: [{ referenceIds: ['a', 'b', 'c'] }, { referenceIds: ['c'] }] },
    );
    expect(individualRequests(req).map((r) => names(r.categories))).toEqual([['s1', 'r'], ['s2', 'r'], ['r']]);
  });

  it('refuses a reference to an unknown xml:id', () => {
    const req = request([cat(CATEGORY.accessSubject, 's', 'a')], { multiRequests: [{ referenceIds: ['a'] }, { referenceIds: ['nope'] }] });
    expect(() => individualRequests(req)).toThrow(XacmlError);
    try {
      individualRequests(req);
    } catch (e) {
      expect((e as XacmlError).issues[0]).toMatchObject({ code: 'undefined-reference', path: '/Request/MultiRequests/RequestReference[2]' });
    }
  });

  it('refuses an expansion beyond the limit before building it', () => {
    const many = Array.from({ length: 12 }, (_, i) => cat(`urn:c${i % 4}`, `v${i}`));
    // 3 × 3 × 3 × 3 = 81 combinations.
    expect(individualRequests(request(many), { maxIndividualRequests: 81 })).toHaveLength(81);
    expect(() => individualRequests(request(many), { maxIndividualRequests: 80 })).toThrow(/more than 80/);
    const refs = request([cat(CATEGORY.action, 'a', 'x')], { multiRequests: [{ referenceIds: ['x'] }, { referenceIds: ['x'] }, { referenceIds: ['x'] }] });
    expect(() => individualRequests(refs, { maxIndividualRequests: 2 })).toThrow(/more than 2/);
  });

  it('expands a multiple content-selector into one request per selected node (IIIE301)', () => {
    const req = parseRequestXml(readConformance('authzforce-xacml-3.0-from-2.0-ct/unsupported/IIIE301Request.xml'));
    const out = individualRequests(req);
    expect(out).toHaveLength(2);
    const selectors = out.map((r) => {
      const resource = r.categories.find((c) => c.category === CATEGORY.resource)!;
      expect(resource.content).toBe(req.categories.find((c) => c.category === CATEGORY.resource)!.content);
      const attr = resource.attributes.find((a) => a.attributeId === 'urn:oasis:names:tc:xacml:3.0:content-selector')!;
      expect(attr.includeInResult).toBe(true);
      expect(resource.attributes.some((a) => a.attributeId.includes('multiple'))).toBe(false);
      return attr.values[0]!.value as XPathExpressionValue;
    });
    expect(selectors.map((s) => s.path)).toEqual(['//md:records/md:record[1]', '//md:records/md:record[2]']);
    expect(selectors[0]?.category).toBe(CATEGORY.resource);
    expect(selectors[0]?.namespaces.md).toBe('http://www.medico.com/schemas/record');
  });

  const selectorRequest = (content: string, path: string): XacmlRequest =>
    parseRequestXml(`<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" ReturnPolicyIdList="false" CombinedDecision="false">
<Attributes Category="${CATEGORY.resource}">${content}<Attribute AttributeId="urn:oasis:names:tc:xacml:3.0:profile:multiple:content-selector" IncludeInResult="false">
<AttributeValue DataType="urn:oasis:names:tc:xacml:3.0:data-type:xpathExpression" XPathCategory="${CATEGORY.resource}">${path}</AttributeValue></Attribute></Attributes>
<Attributes Category="${CATEGORY.action}"/></Request>`);

  it('writes (path)[n] when path[n] would select other nodes too', () => {
    const out = individualRequests(selectorRequest('<Content><r xmlns=""><g><i/><i/></g><g><i/></g></r></Content>', '//g/i'));
    const paths = out.map((r) => (r.categories[0]!.attributes[0]!.values[0]!.value as XPathExpressionValue).path);
    expect(paths).toEqual(['(//g/i)[1]', '//g/i[2]', '(//g/i)[3]']);
    expect(out.every((r) => r.categories[1]?.category === CATEGORY.action)).toBe(true);
  });

  it('refuses a multiple content-selector without Content or selecting nothing', () => {
    expect(() => individualRequests(selectorRequest('', '//a'))).toThrow(/no Content/);
    expect(() => individualRequests(selectorRequest('<Content><r/></Content>', '//a'))).toThrow(/selects no node/);
  });
});
