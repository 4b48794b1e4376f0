/** The safe XML reader: entity handling, CDATA, namespaces, lines, and refusal of hostile input. */
import { readXml, serializeElement } from '../../src/xml/xml-reader';
import type { XacmlError } from '../../src/model/errors';

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as XacmlError).code;
  }
  return 'accepted';
};

describe('readXml', () => {
  it('decodes predefined entities and character references exactly once; CDATA stays literal', () => {
    const el = readXml('<a x="1 &amp; &lt;2&gt; &#x41;">&amp;#65; &#65;&#x1F600; <![CDATA[&amp;<b>]]></a>', 'request');
    expect(el.attrs.x).toBe('1 & <2> A');
    expect(el.text).toBe('&#65; A\u{1F600} &amp;<b>');
  });

  it('resolves namespaces and records lines', () => {
    const el = readXml('<p:a xmlns:p="urn:p">\n\n  <p:b/><c xmlns="urn:c"/></p:a>', 'policy');
    expect([el.name, el.ns]).toEqual(['a', 'urn:p']);
    expect(el.children.map((c) => [c.name, c.ns, c.line])).toEqual([['b', 'urn:p', 3], ['c', 'urn:c', 3]]);
    expect(serializeElement(el.children[0]!)).toBe('<p:b xmlns:p="urn:p"/>');
  });

  it('refuses DTDs, entity declarations, undefined entities and malformed documents', () => {
    expect(codeOf(() => readXml('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', 'request'))).toBe('forbidden-construct');
    expect(codeOf(() => readXml('<a>&nbsp;</a>', 'request'))).toBe('malformed-xml');
    expect(codeOf(() => readXml('<a>&#0;</a>', 'request'))).toBe('malformed-xml');
    expect(codeOf(() => readXml('<a><b></a>', 'request'))).toBe('malformed-xml');
    expect(codeOf(() => readXml('<a/><b/>', 'request'))).toBe('malformed-xml');
  });

  it('bounds size, depth and element count', () => {
    const limits = { maxBytes: 1000, maxDepth: 3, maxElements: 5 };
    expect(codeOf(() => readXml(`<a>${'x'.repeat(1000)}</a>`, 'request', limits))).toBe('limit-exceeded');
    expect(codeOf(() => readXml('<a><b><c><d/></c></b></a>', 'request', limits))).toBe('limit-exceeded');
    expect(codeOf(() => readXml('<a><b/><b/><b/><b/><b/></a>', 'request', limits))).toBe('limit-exceeded');
    expect(codeOf(() => readXml('<a><b><c/></b></a>', 'request', limits))).toBe('accepted');
  });
});
