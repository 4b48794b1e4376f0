/** Which endpoints the platform may call: address classes, allow/deny lists, resolution. */
import { checkAddress, checkEndpointAllowed, createOutboundPolicy, OutboundPolicyConfigError, parseHostList, type HostResolver } from '../src/outbound-policy';

const fakeDns = (table: Record<string, string[]>): HostResolver => async (host) => {
  const found = table[host];
  if (!found) throw Object.assign(new Error(`not found ${host}`), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('checkAddress (default policy)', () => {
  const policy = createOutboundPolicy();
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'rfc6052'],
  ])('refuses %s (%s)', (address, range) => {
    const v = checkAddress(address, policy);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toContain(range);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])('allows public %s', (address) => {
    expect(checkAddress(address, policy)).toEqual({ ok: true });
  });

  it('refuses what is not an address', () => {
    expect(checkAddress('example.org', policy).ok).toBe(false);
  });
});

describe('allow- and deny-lists', () => {
  it('an allowed address or CIDR opens a refused range, and only that', () => {
    const p = createOutboundPolicy({ allow: ['127.0.0.1', '10.20.0.0/16', '[::1]'] });
    expect(checkAddress('127.0.0.1', p).ok).toBe(true);
    expect(checkAddress('::ffff:127.0.0.1', p).ok).toBe(true);
    expect(checkAddress('::1', p).ok).toBe(true);
    expect(checkAddress('127.0.0.2', p).ok).toBe(false);
    expect(checkAddress('10.20.3.4', p).ok).toBe(true);
    expect(checkAddress('10.21.3.4', p).ok).toBe(false);
    expect(checkAddress('169.254.169.254', p).ok).toBe(false);
  });

  it('deny wins over allow and over public', () => {
    const p = createOutboundPolicy({ allow: ['10.0.0.0/8'], deny: ['10.9.0.0/16', '93.184.216.34'] });
    expect(checkAddress('10.9.1.1', p).ok).toBe(false);
    expect(checkAddress('10.8.1.1', p).ok).toBe(true);
    expect(checkAddress('93.184.216.34', p).ok).toBe(false);
  });

  it('allowPublic=false allows only the allow-list', () => {
    const p = createOutboundPolicy({ allowPublic: false, allow: ['127.0.0.1'] });
    expect(checkAddress('8.8.8.8', p).ok).toBe(false);
    expect(checkAddress('127.0.0.1', p).ok).toBe(true);
  });

  it('rejects unreadable entries when the policy is built', () => {
    expect(() => createOutboundPolicy({ allow: ['10.0.0.0/99'] })).toThrow(OutboundPolicyConfigError);
    expect(() => createOutboundPolicy({ allow: ['not a host!'] })).toThrow(OutboundPolicyConfigError);
  });

  it('reads a list from configuration text', () => {
    expect(parseHostList(' 127.0.0.1, ::1  localhost\n')).toEqual(['127.0.0.1', '::1', 'localhost']);
    expect(parseHostList(undefined)).toEqual([]);
  });
});

describe('checkEndpointAllowed (registration-time check, no connection)', () => {
  const dns = fakeDns({
    'internal.test': ['10.0.0.5'],
    'mixed.test': ['93.184.216.34', '192.168.0.7'],
    'public.test': ['93.184.216.34'],
    'trusted.test': ['10.0.0.9'],
  });
  const policy = createOutboundPolicy({ resolve: dns });

  it('refuses the metadata address', async () => {
    const r = await checkEndpointAllowed('http://169.254.169.254/latest/meta-data/', policy);
    expect(r).toMatchObject({ ok: false, code: 'address-refused' });
  });

  it('refuses localhost (resolved by the system resolver)', async () => {
    const r = await checkEndpointAllowed('http://localhost:5432', createOutboundPolicy());
    expect(r).toMatchObject({ ok: false, code: 'address-refused' });
    if (!r.ok) expect(r.reason).toContain('loopback');
  });

  it('refuses a host name that resolves to 10.x', async () => {
    const r = await checkEndpointAllowed('https://internal.test/svc', policy);
    expect(r).toMatchObject({ ok: false, code: 'address-refused' });
    if (!r.ok) expect(r.reason).toContain('10.0.0.5');
  });

  it('refuses a name when any of its addresses is refused', async () => {
    expect(await checkEndpointAllowed('http://mixed.test/', policy)).toMatchObject({ ok: false, code: 'address-refused' });
  });

  it('allows a public name and reports its addresses', async () => {
    expect(await checkEndpointAllowed('http://public.test/x', policy)).toEqual({ ok: true, host: 'public.test', addresses: ['93.184.216.34'] });
  });

  it('an allow-listed host name is trusted whatever it resolves to', async () => {
    const p = createOutboundPolicy({ resolve: dns, allow: ['trusted.test'] });
    expect(await checkEndpointAllowed('http://trusted.test/', p)).toMatchObject({ ok: true });
    expect(await checkEndpointAllowed('http://internal.test/', p)).toMatchObject({ ok: false });
  });

  it('allows what the allow-list opens: 127.0.0.1 and 10.0.0.0/8', async () => {
    const p = createOutboundPolicy({ resolve: dns, allow: ['127.0.0.1', '10.0.0.0/8'] });
    expect(await checkEndpointAllowed('http://127.0.0.1:8080/x', p)).toMatchObject({ ok: true });
    expect(await checkEndpointAllowed('http://internal.test/', p)).toMatchObject({ ok: true });
    expect(await checkEndpointAllowed('http://169.254.169.254/', p)).toMatchObject({ ok: false });
  });

  it('sees through other spellings of loopback', async () => {
    for (const url of ['http://2130706433/', 'http://0x7f.0.0.1/', 'http://[::ffff:7f00:1]/', 'http://127.1/', 'http://[0:0:0:0:0:0:0:1]/']) {
      expect(await checkEndpointAllowed(url, policy)).toMatchObject({ ok: false });
    }
  });

  it('refuses other schemes, credentials in the URL, unresolvable and denied hosts', async () => {
    expect(await checkEndpointAllowed('file:///etc/passwd', policy)).toMatchObject({ ok: false, code: 'scheme' });
    expect(await checkEndpointAllowed('gopher://public.test/', policy)).toMatchObject({ ok: false, code: 'scheme' });
    expect(await checkEndpointAllowed('http://u:p@public.test/', policy)).toMatchObject({ ok: false, code: 'invalid-url' });
    expect(await checkEndpointAllowed('not a url', policy)).toMatchObject({ ok: false, code: 'invalid-url' });
    expect(await checkEndpointAllowed('http://nowhere.test/', policy)).toMatchObject({ ok: false, code: 'unresolvable' });
    const p = createOutboundPolicy({ resolve: dns, deny: ['*.test'] });
    expect(await checkEndpointAllowed('http://public.test/', p)).toMatchObject({ ok: false, code: 'host-denied' });
  });
});
