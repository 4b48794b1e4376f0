/** Regular expressions (XPath dialect on RE2), x500Name-match and rfc822Name-match. */
import { translateXPathRegex } from '../../src/functions/regex-translate';
import { F1, F2, PROCESSING_ERROR, def, indeterminate, v, val } from './helpers';

const rx = (pattern: string, s: string): unknown => val(`${F1}string-regexp-match`, v('string', pattern), v('string', s));

describe('string-regexp-match', () => {
  it('is not implicitly anchored (fn:matches)', () => {
    expect(rx('bc', 'abcd')).toBe(true);
    expect(rx('^bc', 'abcd')).toBe(false);
    expect(rx('^a.*d$', 'abcd')).toBe(true);
    expect(rx('^(a|b)+$', 'abba')).toBe(true);
  });

  it('follows XML Schema class escapes', () => {
    expect(rx('^\\d+$', '١٢٣')).toBe(true); // Arabic-Indic digits are \p{Nd}
    expect(rx('^\\s$', '\f')).toBe(false); // XML whitespace is only space, tab, CR, LF
    expect(rx('^\\w+$', 'héllo')).toBe(true);
    expect(rx('^\\w$', '-')).toBe(false);
    expect(rx('^.$', '\r')).toBe(false);
    expect(rx('^\\i\\c*$', 'xs:element-1')).toBe(true);
    expect(rx('^\\i', '1abc')).toBe(false);
    expect(rx('^\\p{IsBasicLatin}+$', 'abc')).toBe(true);
    expect(rx('^\\p{IsBasicLatin}+$', 'abcé')).toBe(false);
    expect(rx('^\\p{Lu}', 'Abc')).toBe(true);
  });

  it('handles negated escapes and blocks over the whole code point range', () => {
    expect(rx('^\\S+$', 'a\u{1F600}b')).toBe(true);
    expect(rx('^\\S+$', 'a b')).toBe(false);
    expect(rx('^\\P{IsBasicLatin}$', '\u{1F600}')).toBe(true);
    expect(rx('^[^\\I]', 'a')).toBe(true);
    expect(rx('^[^\\I]', '1')).toBe(false);
    expect(rx('^\\C$', ' ')).toBe(true);
  });

  it('supports character-class subtraction', () => {
    expect(rx('^[a-z-[aeiou]]+$', 'bcd')).toBe(true);
    expect(rx('^[a-z-[aeiou]]+$', 'bad')).toBe(false);
    expect(rx('^[\\w-[\\d]]+$', 'abc')).toBe(true);
    expect(rx('^[\\w-[\\d]]+$', 'ab1')).toBe(false);
    expect(rx('^[a-c-[a-c]]$', 'a')).toBe(false);
  });

  it('matches typed values through their string form', () => {
    expect(val(`${F2}anyURI-regexp-match`, v('string', '^http://'), v('anyURI', 'http://x'))).toBe(true);
    expect(val(`${F2}ipAddress-regexp-match`, v('string', '^10\\.0\\.'), v('urn:oasis:names:tc:xacml:2.0:data-type:ipAddress', '10.0.0.1/8'))).toBe(true);
    expect(val(`${F2}dnsName-regexp-match`, v('string', 'example\\.com$'), v('urn:oasis:names:tc:xacml:2.0:data-type:dnsName', 'www.example.com'))).toBe(true);
    expect(val(`${F2}rfc822Name-regexp-match`, v('string', '@medico\\.com$'), v('urn:oasis:names:tc:xacml:1.0:data-type:rfc822Name', 'j@medico.com'))).toBe(true);
    expect(val(`${F2}x500Name-regexp-match`, v('string', 'o=Medico'), v('urn:oasis:names:tc:xacml:1.0:data-type:x500Name', 'cn=J, o=Medico, c=US'))).toBe(true);
  });

  it('refuses what it cannot translate, at load time and at run time', () => {
    const validate = def(`${F1}string-regexp-match`).validateLiterals;
    expect(validate?.([v('string', '(a)\\1'), undefined])).toMatch(/back-references are not supported/);
    expect(validate?.([v('string', '[a-'), undefined])).toMatch(/invalid regular expression/);
    expect(validate?.([v('string', '\\p{IsKlingon}'), undefined])).toMatch(/unknown Unicode block IsKlingon/);
    expect(validate?.([v('string', 'a{2000}'), undefined])).toMatch(/above 1000/);
    expect(validate?.([v('string', '(?=a)'), undefined])).toMatch(/only \(\?:\.\.\.\) groups/);
    expect(validate?.([v('string', 'a'.repeat(5000)), undefined])).toMatch(/longer than 4096/);
    expect(validate?.([v('string', 'a\\/b'), undefined])).toMatch(/unknown escape/);
    expect(validate?.([v('string', '^[a-z]+$'), undefined])).toBeUndefined();
    expect(validate?.([undefined, v('string', 'x')])).toBeUndefined();
    expect(indeterminate(`${F1}string-regexp-match`, [v('string', '(a'), v('string', 'a')]).code).toBe(PROCESSING_ERROR);
  });

  it('translates to RE2 syntax', () => {
    expect(translateXPathRegex('a.c')).toBe('a[^\\n\\r]c');
    expect(translateXPathRegex('\\d{2,3}')).toBe('[\\p{Nd}]{2,3}');
    expect(translateXPathRegex('[a-c-[b]]')).toBe('[\\x{61}\\x{63}]');
    expect(translateXPathRegex('(?:ab)*?')).toBe('(?:ab)*?');
  });

  it('cannot be made to backtrack: a pathological pattern on a long input finishes fast', () => {
    const input = `${'a'.repeat(100_000)}!`;
    const start = Date.now();
    expect(rx('^(a+)+$', input)).toBe(false);
    expect(rx('(a|aa)+b', input)).toBe(false);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

describe('x500Name-match', () => {
  const X = 'urn:oasis:names:tc:xacml:1.0:data-type:x500Name';
  const m = (a: string, b: string): unknown => val(`${F1}x500Name-match`, v(X, a), v(X, b));
  it('matches a terminal sequence of RDNs', () => {
    expect(m('O=Medico Corp,C=US', 'cn=John Smith,o=Medico Corp, c=US')).toBe(true);
    expect(m('o=medico corp, c=us', 'cn=John Smith,o=Medico Corp, c=US')).toBe(true);
    expect(m('cn=John Smith,o=Medico Corp, c=US', 'cn=John Smith,o=Medico Corp, c=US')).toBe(true);
    expect(m('O=Medico Corp', 'cn=John Smith,o=Medico Corp, c=US')).toBe(false);
    expect(m('cn=John Smith', 'cn=John Smith,o=Medico Corp, c=US')).toBe(false);
    expect(m('ou=A,o=Medico Corp,c=US', 'o=Medico Corp,c=US')).toBe(false);
  });
});

describe('rfc822Name-match', () => {
  const R = 'urn:oasis:names:tc:xacml:1.0:data-type:rfc822Name';
  const m = (p: string, n: string): unknown => val(`${F1}rfc822Name-match`, v('string', p), v(R, n));
  it('matches a mailbox, a host, or any sub-domain (spec examples)', () => {
    expect(m('Anderson@sun.com', 'Anderson@SUN.COM')).toBe(true);
    expect(m('Anderson@sun.com', 'anderson@sun.com')).toBe(false);
    expect(m('sun.com', 'Baxter@SUN.COM')).toBe(true);
    expect(m('sun.com', 'Baxter@east.sun.com')).toBe(false);
    expect(m('.east.sun.com', 'Baxter@isrg.east.sun.com')).toBe(true);
    expect(m('.east.sun.com', 'Baxter@east.sun.com')).toBe(false);
    expect(m('.sun.com', 'x@notsun.com')).toBe(false);
  });
});
