/** XPath functions against a category's <Content>. */
import { DOMParser } from '@xmldom/xmldom';
import type { Node } from '@xmldom/xmldom';
import { CATEGORY } from '../../src/model/identifiers';
import type { AttributeValue } from '../../src/model/values';
import { F1, F3, PROCESSING_ERROR, call, contextWith, def, indeterminate, v } from './helpers';

const XPE = 'urn:oasis:names:tc:xacml:3.0:data-type:xpathExpression';
const MD = 'urn:example:med';
const doc = new DOMParser().parseFromString(
  `<Content xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"><md:record xmlns:md="${MD}">
     <md:patient id="p1"><md:name>Bart</md:name><md:dob>1992-03-21</md:dob></md:patient>
     <md:patient id="p2"><md:name>Lisa</md:name></md:patient>
   </md:record></Content>`,
  'text/xml',
);
const content = doc.documentElement as unknown as Node;
const ctx = contextWith({ [CATEGORY.resource]: content });
const x = (path: string, category: string = CATEGORY.resource): AttributeValue => v(XPE, path, { xpathCategory: category, namespaces: { md: MD } });

function result(id: string, ...args: AttributeValue[]): unknown {
  return (call(id, args, ctx) as AttributeValue).value;
}

describe('xpath-node-count', () => {
  it('counts the nodes selected in the category content', () => {
    expect(result(`${F3}xpath-node-count`, x('md:record/md:patient'))).toBe(2n);
    expect(result(`${F3}xpath-node-count`, x('//md:name'))).toBe(2n);
    expect(result(`${F3}xpath-node-count`, x('md:record/md:patient/@id'))).toBe(2n);
    expect(result(`${F3}xpath-node-count`, x('md:record/md:nothing'))).toBe(0n);
  });

  it('is 0 when the category has no content', () => {
    expect(result(`${F3}xpath-node-count`, x('//md:name', CATEGORY.action))).toBe(0n);
  });

  it('a path that does not select nodes is a processing error', () => {
    expect(indeterminate(`${F3}xpath-node-count`, [x('count(//md:name)')], ctx).code).toBe(PROCESSING_ERROR);
    expect(indeterminate(`${F3}xpath-node-count`, [x('//zz:name')], ctx).code).toBe(PROCESSING_ERROR);
  });
});

describe('xpath-node-equal and xpath-node-match', () => {
  it('node-equal compares node identity', () => {
    expect(result(`${F3}xpath-node-equal`, x('md:record/md:patient[1]'), x('//md:patient[@id="p1"]'))).toBe(true);
    expect(result(`${F3}xpath-node-equal`, x('md:record/md:patient[1]'), x('//md:patient[@id="p2"]'))).toBe(false);
    expect(result(`${F3}xpath-node-equal`, x('md:record'), x('//md:name'))).toBe(false);
  });

  it('node-match also accepts descendants and attributes of the first node-set', () => {
    expect(result(`${F3}xpath-node-match`, x('md:record'), x('//md:name'))).toBe(true);
    expect(result(`${F3}xpath-node-match`, x('md:record/md:patient[1]'), x('//md:patient/@id'))).toBe(true);
    expect(result(`${F3}xpath-node-match`, x('md:record/md:patient[2]'), x('//md:dob'))).toBe(false);
    expect(result(`${F3}xpath-node-match`, x('md:record', CATEGORY.action), x('//md:name'))).toBe(false);
  });

  it('refuses literal paths that do not parse', () => {
    expect(def(`${F3}xpath-node-count`).validateLiterals?.([x('//md:name')])).toBeUndefined();
    expect(def(`${F1}xpath-node-count`).validateLiterals?.([v('string', '//a[')])).toMatch(/invalid XPath expression "\/\/a\["/);
  });

  it('the deprecated 1.0 ids take a string path against the resource content', () => {
    const r = call(`${F1}xpath-node-count`, [v('string', '//*[local-name()="patient"]')], ctx) as AttributeValue;
    expect(r.value).toBe(2n);
  });
});
