/** The managed rights policy as pure functions: generation, reading back, grant and revoke. */
import { compilePdp, parseRequestJson } from '@safax/xacml';
import type { DatasetRight } from '@safax/contracts';
import { MANAGED_RIGHTS_POLICY_ID } from '@safax/contracts';
import { ManagedPolicyError, applyGrant, applyRevoke, generateManagedPolicy, readManagedPolicy } from '../../src/services/rights/managed-policy';
import { nextManagedVersion } from '../../src/services/rights/change-rights';

const bobReads: DatasetRight = { subject: { kind: 'user', name: 'bob' }, dataset: 'public.patients', actions: ['read'] };
const doctors: DatasetRight = {
  subject: { kind: 'group', name: 'doctors' },
  dataset: 'public.visits',
  actions: ['update', 'read'],
  conditions: { timeFrom: '09:00:00', timeUntil: '17:00:00', purposes: ['research', 'care'], validUntil: '2099-01-01T00:00:00Z' },
};

function request(o: { user?: string; groups?: string[]; roles?: string[]; dataset: string; action: string; type?: string; purpose?: string; time?: string; dateTime?: string }) {
  const env = [
    ...(o.purpose ? [{ AttributeId: 'urn:safax:1.0:environment:purpose', Value: o.purpose }] : []),
    ...(o.time ? [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:environment:current-time', Value: o.time, DataType: 'http://www.w3.org/2001/XMLSchema#time' }] : []),
    ...(o.dateTime ? [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:environment:current-dateTime', Value: o.dateTime, DataType: 'http://www.w3.org/2001/XMLSchema#dateTime' }] : []),
  ];
  return parseRequestJson({
    Request: {
      AccessSubject: {
        Attribute: [
          ...(o.user ? [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:subject:subject-id', Value: o.user }] : []),
          ...(o.groups ? [{ AttributeId: 'urn:safax:1.0:subject:group', Value: o.groups }] : []),
          ...(o.roles ? [{ AttributeId: 'urn:oasis:names:tc:xacml:2.0:subject:role', Value: o.roles }] : []),
        ],
      },
      Resource: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:resource:resource-id', Value: o.dataset }, { AttributeId: 'urn:safax:1.0:resource:type', Value: o.type ?? 'dataset' }] },
      Action: { Attribute: [{ AttributeId: 'urn:oasis:names:tc:xacml:1.0:action:action-id', Value: o.action }] },
      ...(env.length > 0 ? { Environment: { Attribute: env } } : {}),
    },
  });
}

async function decide(rights: DatasetRight[], req: ReturnType<typeof request>) {
  const pdp = compilePdp([{ text: generateManagedPolicy(rights, '1'), name: 'managed' }], {});
  return (await pdp.evaluate(req)).response.results[0]?.decision;
}

describe('managed rights policy', () => {
  it('is deterministic: the same rights in any order give the same text, with the fixed PolicyId and version', () => {
    const a = generateManagedPolicy([bobReads, doctors], '7');
    const b = generateManagedPolicy([{ ...doctors, actions: ['read', 'update'], conditions: { ...doctors.conditions, purposes: ['care', 'research'] } }, bobReads], '7');
    expect(a).toBe(b);
    expect(a).toContain(`PolicyId="${MANAGED_RIGHTS_POLICY_ID}" Version="7"`);
  });

  it('reads back exactly the rights it was generated from (canonical form)', () => {
    const rights = readManagedPolicy(generateManagedPolicy([doctors, bobReads], '2'));
    expect(rights).toEqual([
      bobReads,
      { ...doctors, actions: ['read', 'update'], conditions: { timeFrom: '09:00:00', timeUntil: '17:00:00', validUntil: '2099-01-01T00:00:00.000Z', purposes: ['care', 'research'] } },
    ]);
    expect(readManagedPolicy(generateManagedPolicy([], '3'))).toEqual([]);
  });

  it('refuses a version edited by hand, another policy, and DOCTYPEs', () => {
    const text = generateManagedPolicy([bobReads], '2');
    expect(() => readManagedPolicy(text.replace('>read<', '>delete<'))).toThrow(ManagedPolicyError);
    expect(() => readManagedPolicy(text.replace(MANAGED_RIGHTS_POLICY_ID, 'urn:x:other'))).toThrow(/not the managed rights policy/);
    expect(() => readManagedPolicy(`<!DOCTYPE x [<!ENTITY a "b">]>${text}`)).toThrow(/DOCTYPE/);
  });

  it('decides per subject kind, dataset and action; only datasets; NotApplicable otherwise', async () => {
    const rights: DatasetRight[] = [bobReads, { subject: { kind: 'role', name: 'auditor' }, dataset: 'public.patients', actions: ['read', 'ddl'] }];
    expect(await decide(rights, request({ user: 'bob', dataset: 'public.patients', action: 'read' }))).toBe('Permit');
    expect(await decide(rights, request({ user: 'bob', dataset: 'public.patients', action: 'delete' }))).toBe('NotApplicable');
    expect(await decide(rights, request({ user: 'bob', dataset: 'public.other', action: 'read' }))).toBe('NotApplicable');
    expect(await decide(rights, request({ user: 'bob', dataset: 'public.patients', action: 'read', type: 'photo' }))).toBe('NotApplicable');
    expect(await decide(rights, request({ user: 'eve', roles: ['nurse', 'auditor'], dataset: 'public.patients', action: 'ddl' }))).toBe('Permit');
    expect(await decide([], request({ user: 'bob', dataset: 'public.patients', action: 'read' }))).toBe('NotApplicable');
  });

  it('applies the conditions: time of day, validity period and purpose', async () => {
    const base = { groups: ['doctors'], dataset: 'public.visits', action: 'update', purpose: 'care', time: '10:00:00', dateTime: '2030-01-01T10:00:00Z' };
    expect(await decide([doctors], request(base))).toBe('Permit');
    expect(await decide([doctors], request({ ...base, time: '18:00:00' }))).toBe('NotApplicable');
    expect(await decide([doctors], request({ ...base, purpose: 'marketing' }))).toBe('NotApplicable');
    expect(await decide([doctors], request({ ...base, purpose: undefined }))).toBe('NotApplicable');
    expect(await decide([doctors], request({ ...base, dateTime: '2099-06-01T00:00:00Z' }))).toBe('NotApplicable');
  });

  it('grants merge into the rule of the same subject, dataset and conditions; a held grant changes nothing', () => {
    const one = applyGrant([], bobReads);
    expect(one).toEqual({ rights: [bobReads], changed: true });
    const two = applyGrant(one.rights, { ...bobReads, actions: ['insert'] });
    expect(two.rights).toEqual([{ ...bobReads, actions: ['read', 'insert'] }]);
    expect(applyGrant(two.rights, bobReads).changed).toBe(false);
    const withPurpose = applyGrant(two.rights, { ...bobReads, conditions: { purposes: ['care'] } });
    expect(withPurpose.rights).toHaveLength(2);
  });

  it('revokes some or all actions, of one conditioned grant or of every grant of the pair', () => {
    const rights = [
      { ...bobReads, actions: ['read', 'insert'] },
      { ...bobReads, conditions: { purposes: ['care'] } },
    ] as DatasetRight[];
    const some = applyRevoke(rights, { subject: bobReads.subject, dataset: bobReads.dataset, actions: ['insert'] });
    expect(some.changed).toBe(true);
    expect(some.rights.map((r) => r.actions)).toEqual([['read'], ['read']]);
    const onlyCare = applyRevoke(rights, { subject: bobReads.subject, dataset: bobReads.dataset, conditions: { purposes: ['care'] } });
    expect(onlyCare.rights).toEqual([{ ...bobReads, actions: ['read', 'insert'] }]);
    expect(applyRevoke(rights, { subject: bobReads.subject, dataset: bobReads.dataset }).rights).toEqual([]);
    expect(applyRevoke(rights, { subject: { kind: 'user', name: 'eve' }, dataset: bobReads.dataset }).changed).toBe(false);
  });

  it('numbers versions after the highest stored one', () => {
    expect(nextManagedVersion(null)).toBe('1');
    expect(nextManagedVersion('9')).toBe('10');
    expect(nextManagedVersion('3.2')).toBe('4');
  });
});
