/**
 * Namespace and attribute bounds in both XML readers (issue 14, finding 2): an element with
 * thousands of prefix declarations or attributes is refused at once, prefixes piled up along
 * a chain of elements are bounded, and reading stays linear in the text.
 */
import { performance } from 'node:perf_hooks';
import { XacmlError } from '../src/model/errors';
import { readXmlSax } from '../src/xml/sax-reader';
import { readXml } from '../src/xml/xml-reader';

const readers = [
  ['readXml', (text: string, limits?: Parameters<typeof readXml>[2]) => readXml(text, 'request', limits)],
  ['readXmlSax', (text: string, limits?: Parameters<typeof readXmlSax>[2]) => readXmlSax(text, 'policy', limits)],
] as const;

function refusal(read: () => unknown): { code: string; message: string } {
  try {
    read();
  } catch (e) {
    if (e instanceof XacmlError) return { code: e.issues[0]!.code, message: e.issues[0]!.message };
    throw e;
  }
  return { code: 'accepted', message: '' };
}

const declarations = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ` xmlns:p${from + i}="urn:x:${from + i}"`).join('');

describe.each(readers)('%s: namespace and attribute bounds', (_name, read) => {
  it('refuses 10,000 prefix declarations on one element, in milliseconds', () => {
    const text = `<Request xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17"${declarations(10_000)}/>`;
    const started = performance.now();
    const r = refusal(() => read(text));
    const ms = performance.now() - started;
    expect(r).toEqual({ code: 'limit-exceeded', message: 'element <Request> declares more than 50 namespaces' });
    // Measured well under 5 ms; the bound only catches a return of the quadratic copy (seconds).
    expect(ms).toBeLessThan(500);
  });

  it('refuses 10,000 attributes on one element', () => {
    const attrs = Array.from({ length: 10_000 }, (_, i) => ` a${i}="v"`).join('');
    expect(refusal(() => read(`<Request${attrs}/>`))).toEqual({ code: 'limit-exceeded', message: 'element <Request> has more than 100 attributes' });
  });

  it('bounds the prefixes in scope along a chain of elements', () => {
    const text = `<a${declarations(40)}><b${declarations(40, 40)}><c${declarations(40, 80)}/></b></a>`;
    expect(refusal(() => read(text))).toEqual({ code: 'limit-exceeded', message: 'more than 100 namespace prefixes are in scope at element <c>' });
    expect(refusal(() => read(`<a${declarations(40)}><b${declarations(40, 40)}/></a>`)).code).toBe('accepted');
  });

  it('counts only attributes: = and > inside values, comments, CDATA and processing instructions do not count', () => {
    const text = `<?pi a=b c=d?><a x="k=v>w" y='=='><!-- = = = = --><b><![CDATA[ <c d=e f=g h=i> ]]></b></a>`;
    expect(refusal(() => read(text, { maxAttributes: 2 })).code).toBe('accepted');
    expect(refusal(() => read('<a x="1" y="2" z = "3"/>', { maxAttributes: 2 })).code).toBe('limit-exceeded');
  });

  it('stays linear: 20,000 elements each declaring a prefix under 99 inherited ones', () => {
    const children = Array.from({ length: 20_000 }, (_, i) => `<e xmlns:q="urn:q:${i}"/>`).join('');
    const text = `<root${declarations(50)}><mid${declarations(49, 50)}>${children}</mid></root>`;
    const started = performance.now();
    expect(refusal(() => read(text)).code).toBe('accepted');
    const ms = performance.now() - started;
    // About 1 MB of text; measured ~100-300 ms on the CI machine. Generous: a quadratic reader takes minutes.
    expect(ms).toBeLessThan(5_000);
  });
});
