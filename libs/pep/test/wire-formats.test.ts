/**
 * What the SDK writes is what the platform reads: each format's request, parsed with the
 * platform's own readers (@safax/xacml, the same the PDP-URL uses), carries the same
 * categories, attribute ids, datatypes and values, also for MultiRequests.
 */
import { parseRequestJson, parseRequestXml, individualRequests } from '@safax/xacml';
import type { XacmlRequest } from '@safax/xacml';
import { ATTRIBUTE, CATEGORY, DATATYPE, action, intermediarySubject, issued, normalizeRequest, resource, subject, toAuthzenEvaluation, toXacmlJsonRequest, toXacmlXmlRequest, typed } from '../src/index';
import type { PepRequest } from '../src/index';

const full: PepRequest = {
  subject: subject('alice', { type: 'user', properties: { role: ['doctor', 'nurse'], clearance: 3, [ATTRIBUTE.authnIpAddress]: typed(DATATYPE.ipAddress, '10.0.0.1'), weird: 'a<b>&"c"\n' } }),
  action: action('read', { reason: 'care' }),
  resource: resource('patients', { type: 'dataset', properties: { size: 1.5, public: false, rows: [1, 2.5] } }),
  environment: { purpose: 'care', at: typed(DATATYPE.dateTime, '2026-11-30T10:00:00Z'), empty: [] },
  categories: [intermediarySubject('proxy-eu', { 'urn:test:issued': issued('urn:issuer:ca', 'x') })],
};

/** category → attribute id → "datatype values…" of the first individual request. */
function view(r: XacmlRequest, index = 0): Record<string, Record<string, string>> {
  const ind = individualRequests(r)[index]!;
  const out: Record<string, Record<string, string>> = {};
  for (const c of ind.categories) {
    const attrs: Record<string, string> = {};
    for (const a of c.attributes) attrs[`${a.attributeId}${a.issuer ? `@${a.issuer}` : ''}`] = a.values.map((v) => `${v.datatype.id} ${v.datatype.format(v.value)}`).join(' | ');
    out[c.category] = attrs;
  }
  return out;
}

function expected(r: PepRequest): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const c of normalizeRequest(r).categories) {
    out[c.category] = Object.fromEntries(c.attributes.map((a) => [`${a.id}${a.issuer ? `@${a.issuer}` : ''}`, a.values.map((v) => `${a.datatype} ${v}`).join(' | ')]));
  }
  return out;
}

describe('wire formats', () => {
  it('normalises with the platform mapping: standard ids, AuthZEN prefixes, inferred datatypes, empty bags dropped', () => {
    const n = expected(full);
    expect(n[CATEGORY.accessSubject]).toEqual({
      [ATTRIBUTE.subjectId]: `${DATATYPE.string} alice`,
      'urn:safax:1.0:authzen:subject:type': `${DATATYPE.string} user`,
      'urn:safax:1.0:authzen:subject:role': `${DATATYPE.string} doctor | ${DATATYPE.string} nurse`,
      'urn:safax:1.0:authzen:subject:clearance': `${DATATYPE.integer} 3`,
      [ATTRIBUTE.authnIpAddress]: `${DATATYPE.ipAddress} 10.0.0.1`,
      'urn:safax:1.0:authzen:subject:weird': `${DATATYPE.string} a<b>&"c"\n`,
    });
    expect(n[CATEGORY.resource]!['urn:safax:1.0:authzen:resource:rows']).toBe(`${DATATYPE.double} 1 | ${DATATYPE.double} 2.5`);
    expect(n[CATEGORY.resource]!['urn:safax:1.0:authzen:resource:public']).toBe(`${DATATYPE.boolean} false`);
    expect(n[CATEGORY.environment]).toEqual({ 'urn:safax:1.0:authzen:context:purpose': `${DATATYPE.string} care`, 'urn:safax:1.0:authzen:context:at': `${DATATYPE.dateTime} 2026-11-30T10:00:00Z` });
    expect(n[CATEGORY.intermediarySubject]).toEqual({ [ATTRIBUTE.subjectId]: `${DATATYPE.string} proxy-eu`, 'urn:test:issued@urn:issuer:ca': `${DATATYPE.string} x` });
    expect(normalizeRequest(full).xacmlOnly).toBeDefined();
  });

  it('XACML JSON and XML requests read back, by the platform, as exactly the normal form', () => {
    const want = expected(full);
    const asJson = view(parseRequestJson(JSON.stringify(toXacmlJsonRequest([{ request: full, normal: normalizeRequest(full) }]))));
    const asXml = view(parseRequestXml(toXacmlXmlRequest([{ request: full, normal: normalizeRequest(full) }])));
    // The platform reads 1 with datatype double as "1.0" (canonical lexical form); compare by value.
    const loose = (v: Record<string, Record<string, string>>) => JSON.parse(JSON.stringify(v).replace(/double 1\.0\b/g, 'double 1'));
    expect(loose(asJson)).toEqual(want);
    expect(loose(asXml)).toEqual(want);
  });

  it('MultiRequests: request i reads back as individual request i, in both XACML formats', () => {
    const reqs = ['read', 'write', 'export'].map((a, i) => ({ subject: subject(`u${i}`, { type: 'user' }), action: action(a), resource: resource(`r${i}`, { type: 'doc' }) }));
    const prepared = reqs.map((r) => ({ request: r, normal: normalizeRequest(r) }));
    for (const parsed of [parseRequestJson(JSON.stringify(toXacmlJsonRequest(prepared))), parseRequestXml(toXacmlXmlRequest(prepared))]) {
      expect(individualRequests(parsed)).toHaveLength(3);
      reqs.forEach((r, i) => expect(view(parsed, i)).toEqual(expected(r)));
    }
  });

  it('the AuthZEN body is what the platform maps back to the same attributes', () => {
    const r: PepRequest = { subject: subject('bob', { type: 'user', properties: { role: ['doctor'], 'urn:x:full-id': 7 } }), action: action('read'), resource: resource('d', { type: 'doc' }), environment: { purpose: 'care', none: [] } };
    expect(toAuthzenEvaluation({ request: r, normal: normalizeRequest(r) })).toEqual({
      subject: { type: 'user', id: 'bob', properties: { role: ['doctor'], 'urn:x:full-id': 7 } },
      action: { name: 'read' },
      resource: { type: 'doc', id: 'd' },
      context: { purpose: 'care' },
    });
    expect(normalizeRequest(r).xacmlOnly).toBeUndefined();
  });

  it('refuses what no format can carry, naming the member', () => {
    const base = { subject: subject('a', { type: 'u' }), action: action('r'), resource: resource('x', { type: 't' }) };
    expect(() => normalizeRequest({ ...base, subject: { id: 'a', properties: { n: Number.NaN } } })).toThrow(/subject\.properties\.n/);
    expect(() => normalizeRequest({ ...base, subject: { id: 'a', properties: { n: 2 ** 60 } } })).toThrow(/too large/);
    expect(() => normalizeRequest({ ...base, categories: [intermediarySubject('p'), intermediarySubject('q')] })).toThrow(/twice/);
    expect(() => normalizeRequest({ ...base, categories: [{ category: CATEGORY.resource, properties: {} }] })).toThrow(/given by subject/);
    expect(() => normalizeRequest({ ...base, action: { name: '' } })).toThrow(/action\.name/);
  });
});
