import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CATEGORY, DT } from '../../src/model/identifiers';
import type { XacmlRequest } from '../../src/model/request';
import { parseRequestXml } from '../../src/request/xml-request';
import type { XPathExpressionValue } from '../../src/datatypes/xpath-expression';
import { conformancePath, findFiles, readConformance } from '../support/conformance-files';
import { refusal } from '../support/refusal';

const NS = 'urn:oasis:names:tc:xacml:3.0:core:schema:wd-17';
const STRING = 'http://www.w3.org/2001/XMLSchema#string';


function request(body: string, attrs = 'ReturnPolicyIdList="false" CombinedDecision="false"'): string {
  return `<?xml version="1.0"?>\n<Request xmlns="${NS}" ${attrs}>\n${body}\n</Request>`;
}

const subject = (value = 'Julius', dt = STRING, id = 'urn:oasis:names:tc:xacml:1.0:subject:subject-id'): string =>
  `<Attributes Category="${CATEGORY.accessSubject}"><Attribute AttributeId="${id}" IncludeInResult="false"><AttributeValue DataType="${dt}">${value}</AttributeValue></Attribute></Attributes>`;

/** A request must be refused when the policy beside it is marked `.ignore` (README convention). */
function mustBeRefused(rel: string): boolean {
  const dir = dirname(conformancePath(rel));
  const prefix = basename(rel).replace(/Request\.xml$/i, '');
  return existsSync(join(dir, `${prefix}Policy.xml.ignore`));
}

describe('parseRequestXml on the conformance requests', () => {
  const folders = [
    'authzforce-xacml-3.0-from-2.0-ct/mandatory',
    'authzforce-xacml-3.0-from-2.0-ct/optional',
    'authzforce-xacml-3.0-from-2.0-ct/unsupported',
    'authzforce-conformance-others',
    'authzforce-recovered-IIA004-IIA005',
    'authzforce-json-examples',
  ];
  const files = folders.flatMap((f) => findFiles(f, (n) => /request\.xml$/i.test(n)));

  it('finds the suite', () => {
    expect(files.length).toBeGreaterThan(490);
  });

  const valid = files.filter((f) => !mustBeRefused(f));
  const refused = files.filter(mustBeRefused);

  it.each(valid)('parses %s', (rel) => {
    const req = parseRequestXml(readConformance(rel));
    expect(req.categories.length).toBeGreaterThan(0);
    for (const c of req.categories) {
      expect(c.category).not.toBe('');
      for (const a of c.attributes) expect(a.values.length).toBeGreaterThan(0);
    }
  });

  it('has exactly the expected refusals (IIA005)', () => {
    expect(refused.map((f) => basename(f))).toEqual(['IIA005Request.xml']);
  });

  it.each(refused)('refuses %s with the path and line of the fault', (rel) => {
    const err = refusal(() => parseRequestXml(readConformance(rel)));
    expect(err.kind).toBe('request');
    expect(err.issues).toEqual([
      {
        code: 'invalid-structure',
        path: '/Request/Attributes[3]/Attribute[1]',
        message: 'Attribute needs a non-empty AttributeId attribute',
        line: 15,
      },
    ]);
    expect(err.message).toContain('AttributeId');
  });
});

describe('parseRequestXml: request structure', () => {
  it('reads categories, attributes, issuers, typed values and flags', () => {
    const req = parseRequestXml(
      request(
        `<RequestDefaults><XPathVersion>http://www.w3.org/TR/1999/REC-xpath-19991116</XPathVersion></RequestDefaults>
        <Attributes Category="${CATEGORY.resource}" xml:id="r1">
          <Attribute AttributeId="n" Issuer="me" IncludeInResult="true">
            <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#integer"> 42 </AttributeValue>
            <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#integer">7</AttributeValue>
          </Attribute>
          <Attribute AttributeId="s" IncludeInResult="false"><AttributeValue DataType="${STRING}"> padded </AttributeValue></Attribute>
        </Attributes>`,
        'ReturnPolicyIdList="true" CombinedDecision="1"',
      ),
    );
    expect(req.returnPolicyIdList).toBe(true);
    expect(req.combinedDecision).toBe(true);
    expect(req.xpathVersion).toBe('http://www.w3.org/TR/1999/REC-xpath-19991116');
    expect(req.multiRequests).toBeUndefined();
    const [cat] = req.categories;
    expect(cat?.category).toBe(CATEGORY.resource);
    expect(cat?.xmlId).toBe('r1');
    const [n, s] = cat!.attributes;
    expect(n).toMatchObject({ attributeId: 'n', issuer: 'me', includeInResult: true });
    expect(n?.values.map((v) => v.value)).toEqual([42n, 7n]);
    expect(n?.values[0]?.datatype.id).toBe(DT.integer);
    expect(s?.issuer).toBeUndefined();
    // xs:string keeps its whitespace; other types collapse it.
    expect(s?.values[0]?.value).toBe(' padded ');
  });

  it('defaults the schema-required booleans to false when absent', () => {
    const req = parseRequestXml(request(subject(), ''));
    expect(req.returnPolicyIdList).toBe(false);
    expect(req.combinedDecision).toBe(false);
  });

  it('accepts legacy 2.0 duration datatype ids and maps them to 3.0', () => {
    const req = parseRequestXml(request(subject('P1D', 'http://www.w3.org/TR/2002/WD-xquery-operators-20020816#dayTimeDuration')));
    expect(req.categories[0]?.attributes[0]?.values[0]?.datatype.id).toBe(DT.dayTimeDuration);
  });

  it('turns Content into a DOM document with its namespaces, and reads xpathExpression values', () => {
    const req = parseRequestXml(readConformance('authzforce-xacml-3.0-from-2.0-ct/unsupported/IIIE301Request.xml'));
    const resource = req.categories.find((c) => c.category === CATEGORY.resource)!;
    const doc = resource.content!;
    expect(doc.documentElement?.localName).toBe('records');
    expect(doc.documentElement?.namespaceURI).toBe('http://www.medico.com/schemas/record');
    expect(doc.getElementsByTagNameNS('http://www.medico.com/schemas/record', 'record').length).toBe(2);
    const selector = resource.attributes.find((a) => a.attributeId.endsWith('multiple:content-selector'))!;
    const v = selector.values[0]!.value as XPathExpressionValue;
    expect(v).toMatchObject({ path: '//md:records/md:record', category: CATEGORY.resource });
    expect(v.namespaces.md).toBe('http://www.medico.com/schemas/record');
  });

  it('reads MultiRequests', () => {
    const req = parseRequestXml(readConformance('authzforce-xacml-3.0-from-2.0-ct/unsupported/IIIE303Request.xml'));
    expect(req.multiRequests).toEqual([
      { referenceIds: ['subject1', 'resource', 'action', 'environment'] },
      { referenceIds: ['subject2', 'resource', 'action', 'environment'] },
    ]);
    expect(req.categories.map((c) => c.xmlId)).toEqual(['subject1', 'subject2', 'resource', 'action', 'environment']);
  });
});

describe('parseRequestXml: refusals', () => {
  it('reports every issue of the document at once, with paths and lines', () => {
    const err = refusal(() =>
      parseRequestXml(
        request(
          `<Attributes Category="${CATEGORY.accessSubject}">
  <Attribute AttributeId="age" IncludeInResult="false">
    <AttributeValue DataType="http://www.w3.org/2001/XMLSchema#integer">twelve</AttributeValue>
    <AttributeValue DataType="urn:example:no-such-type">x</AttributeValue>
  </Attribute>
  <Attribute AttributeId="flag" IncludeInResult="maybe"><AttributeValue DataType="${STRING}">x</AttributeValue></Attribute>
  <Attribute AttributeId="empty" IncludeInResult="false"/>
</Attributes>
<Attributes><Bogus/></Attributes>`,
        ),
      ),
    );
    expect(err.kind).toBe('request');
    expect(err.issues.map((i) => [i.code, i.path, i.line])).toEqual([
      ['invalid-value', '/Request/Attributes[1]/Attribute[@AttributeId="age"]/AttributeValue[1]', 5],
      ['unknown-datatype', '/Request/Attributes[1]/Attribute[@AttributeId="age"]/AttributeValue[2]', 6],
      ['invalid-value', '/Request/Attributes[1]/Attribute[@AttributeId="flag"]', 8],
      ['invalid-structure', '/Request/Attributes[1]/Attribute[@AttributeId="empty"]', 9],
      ['invalid-structure', '/Request/Attributes[2]', 11],
      ['invalid-structure', '/Request/Attributes[2]/Bogus', 11],
    ]);
    expect(err.issues[0]?.message).toContain('twelve');
    expect(err.issues[1]?.message).toContain('urn:example:no-such-type');
  });

  it('refuses a DOCTYPE and entity declarations before parsing', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${request(subject('&x;')).replace('<?xml version="1.0"?>', '')}`;
    const err = refusal(() => parseRequestXml(xxe));
    expect(err.code).toBe('forbidden-construct');
    const bomb = request(subject('&lol;')).replace('<Request', '<!ENTITY lol "lol"><Request');
    expect(refusal(() => parseRequestXml(bomb)).code).toBe('forbidden-construct');
  });

  it('refuses malformed XML with its line', () => {
    const err = refusal(() => parseRequestXml(`<Request xmlns="${NS}">\n<Attributes>\n</Request>`));
    expect(err.code).toBe('malformed-xml');
    expect(err.issues[0]?.line).toBeGreaterThan(0);
  });

  it('applies size, depth and element-count limits', () => {
    const text = request(subject());
    expect(refusal(() => parseRequestXml(text, { limits: { maxBytes: 100 } })).code).toBe('limit-exceeded');
    expect(refusal(() => parseRequestXml(text, { limits: { maxDepth: 3 } })).code).toBe('limit-exceeded');
    expect(refusal(() => parseRequestXml(text, { limits: { maxElements: 3 } })).code).toBe('limit-exceeded');
    expect(parseRequestXml(text, { limits: { maxDepth: 4, maxElements: 4 } }).categories).toHaveLength(1);
  });

  it('refuses a root that is not a XACML Request', () => {
    const err = refusal(() => parseRequestXml(`<Response xmlns="${NS}"/>`));
    expect(err.issues[0]).toMatchObject({ code: 'invalid-structure', path: '/Response' });
    expect(refusal(() => parseRequestXml('<Request><Attributes Category="x"/></Request>')).issues[0]?.message).toContain(NS);
  });

  it('accepts a request without Attributes, refuses elements of foreign namespaces', () => {
    expect(parseRequestXml(request('')).categories).toEqual([]);
    const err = refusal(() => parseRequestXml(request(`${subject()}<x:Extra xmlns:x="urn:x"/>`)));
    expect(err.issues[0]).toMatchObject({ path: '/Request/Extra' });
    expect(err.issues[0]?.message).toContain('{urn:x}Extra');
  });

  it('refuses duplicate xml:id and references to unknown ids', () => {
    const err = refusal(() =>
      parseRequestXml(
        request(`<Attributes Category="${CATEGORY.action}" xml:id="a"/><Attributes Category="${CATEGORY.resource}" xml:id="a"/>
<MultiRequests><RequestReference><AttributesReference ReferenceId="a"/><AttributesReference ReferenceId="zz"/></RequestReference></MultiRequests>`),
      ),
    );
    expect(err.issues.map((i) => i.code)).toEqual(['duplicate-id', 'undefined-reference']);
    expect(err.issues[1]?.message).toContain('"zz"');
  });

  it('refuses empty MultiRequests and RequestReference', () => {
    const err = refusal(() =>
      parseRequestXml(request(`${subject()}<MultiRequests><RequestReference/></MultiRequests>`)),
    );
    expect(err.issues[0]).toMatchObject({ path: '/Request/MultiRequests/RequestReference[1]' });
    const err2 = refusal(() => parseRequestXml(request(`${subject()}<MultiRequests/>`)));
    expect(err2.issues[0]).toMatchObject({ path: '/Request/MultiRequests' });
  });

  it('refuses Content without exactly one element, and element content in a value', () => {
    const err = refusal(() =>
      parseRequestXml(
        request(`<Attributes Category="${CATEGORY.resource}"><Content><a/><b/></Content></Attributes>
<Attributes Category="${CATEGORY.action}"><Content>text</Content></Attributes>
<Attributes Category="${CATEGORY.environment}"><Attribute AttributeId="x" IncludeInResult="false"><AttributeValue DataType="${STRING}"><b/></AttributeValue></Attribute></Attributes>`),
      ),
    );
    expect(err.issues.map((i) => i.path)).toEqual([
      '/Request/Attributes[1]/Content',
      '/Request/Attributes[2]/Content',
      '/Request/Attributes[3]/Attribute[@AttributeId="x"]/AttributeValue[1]',
    ]);
  });

  it('refuses an xpathExpression value without XPathCategory or with bad XPath', () => {
    const xp = (attrs: string, path: string): string =>
      request(`<Attributes Category="${CATEGORY.resource}"><Attribute AttributeId="x" IncludeInResult="false"><AttributeValue DataType="${DT.xpathExpression}" ${attrs}>${path}</AttributeValue></Attribute></Attributes>`);
    expect(refusal(() => parseRequestXml(xp('', '//a'))).issues[0]?.message).toContain('XPathCategory');
    expect(refusal(() => parseRequestXml(xp(`XPathCategory="${CATEGORY.resource}"`, '//a[['))).code).toBe('invalid-value');
  });
});

describe('parseRequestXml: XACML 2.0 requests', () => {
  const V2 = 'urn:oasis:names:tc:xacml:2.0:context:schema:os';
  const v2 = (body: string): string => `<Request xmlns="${V2}" xmlns:md="urn:md">${body}</Request>`;

  it('translates Subject, Resource, Action, Environment and ResourceContent to the 3.0 model', () => {
    const req: XacmlRequest = parseRequestXml(
      v2(`<Subject><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:subject:subject-id" DataType="${STRING}" Issuer="idp"><AttributeValue>Julius</AttributeValue></Attribute></Subject>
<Subject SubjectCategory="${CATEGORY.codebase}"><Attribute AttributeId="c" DataType="http://www.w3.org/2001/XMLSchema#anyURI"><AttributeValue>http://x</AttributeValue></Attribute></Subject>
<Resource><ResourceContent><md:record><md:name>Bart</md:name></md:record></ResourceContent>
  <Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:resource:resource-id" DataType="${STRING}"><AttributeValue>r</AttributeValue></Attribute></Resource>
<Action><Attribute AttributeId="urn:oasis:names:tc:xacml:1.0:action:action-id" DataType="${STRING}"><AttributeValue>read</AttributeValue><AttributeValue>write</AttributeValue></Attribute></Action>
<Environment/>`),
    );
    expect(req.returnPolicyIdList).toBe(false);
    expect(req.combinedDecision).toBe(false);
    expect(req.categories.map((c) => c.category)).toEqual([
      CATEGORY.accessSubject,
      CATEGORY.codebase,
      CATEGORY.resource,
      CATEGORY.action,
      CATEGORY.environment,
    ]);
    expect(req.categories[0]?.attributes[0]).toMatchObject({ attributeId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id', issuer: 'idp', includeInResult: false });
    expect(req.categories[1]?.attributes[0]?.values[0]?.datatype.id).toBe(DT.anyURI);
    expect(req.categories[2]?.content?.documentElement?.localName).toBe('record');
    expect(req.categories[3]?.attributes[0]?.values.map((v) => v.value)).toEqual(['read', 'write']);
  });

  it('refuses a 2.0 request without Action or Environment, or with an Attribute lacking DataType', () => {
    const err = refusal(() =>
      parseRequestXml(v2(`<Resource><Attribute AttributeId="a"><AttributeValue>r</AttributeValue></Attribute></Resource>`)),
    );
    expect(err.issues.map((i) => i.path)).toEqual(['/Request/Resource[1]/Attribute[@AttributeId="a"]', '/Request', '/Request']);
    expect(err.issues.map((i) => i.message).join(' ')).toMatch(/DataType.*Action.*Environment/);
  });
});
