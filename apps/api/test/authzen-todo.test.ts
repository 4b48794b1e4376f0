/**
 * AuthZEN 1.0 through the PDP-URL with a Todo application written from the interop scenario's
 * description (roles viewer/editor/admin/evil_genius from the sample PIP, the todo's owner in
 * the request): every request shape the drafts used decides, unknown members are ignored,
 * property objects/nulls/empty arrays map as documented, the three searches answer with
 * pagination, and the metadata is found where the spec puts it.
 */
import { ownerWithDomain } from './support/fixtures';
import type { OwnedDomain } from './support/fixtures';
import { errorCode, startTestPlatform } from './support/test-platform';
import type { TestPlatform } from './support/test-platform';

const XS = 'http://www.w3.org/2001/XMLSchema#string';
const F = 'urn:oasis:names:tc:xacml:1.0:function:';
const SUBJECT = 'urn:oasis:names:tc:xacml:1.0:subject-category:access-subject';
const ACTION = 'urn:oasis:names:tc:xacml:3.0:attribute-category:action';
const RESOURCE = 'urn:oasis:names:tc:xacml:3.0:attribute-category:resource';
const ROLES = 'urn:example:todo:roles';
const EMAIL = 'urn:example:todo:email';
const OWNER = 'urn:safax:1.0:authzen:resource:ownerID';

const designator = (category: string, id: string) => `<AttributeDesignator Category="${category}" AttributeId="${id}" DataType="${XS}" MustBePresent="false"/>`;
const bag = (...values: string[]) => `<Apply FunctionId="${F}string-bag">${values.map((v) => `<AttributeValue DataType="${XS}">${v}</AttributeValue>`).join('')}</Apply>`;
const hasRole = (...roles: string[]) => `<Apply FunctionId="${F}string-at-least-one-member-of">${designator(SUBJECT, ROLES)}${bag(...roles)}</Apply>`;
const actions = (...names: string[]) => `<Target><AnyOf>${names.map((n) => `<AllOf><Match MatchId="${F}string-equal"><AttributeValue DataType="${XS}">${n}</AttributeValue>${designator(ACTION, 'urn:oasis:names:tc:xacml:1.0:action:action-id')}</Match></AllOf>`).join('')}</AnyOf></Target>`;
const rule = (id: string, target: string, condition?: string) => `<Rule RuleId="${id}" Effect="Permit">${target}${condition ? `<Condition>${condition}</Condition>` : ''}</Rule>`;

const TODO_POLICY = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="urn:example:todo" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:permit-overrides"><Target/>
  ${rule('anyone-reads', actions('can_read_user', 'can_read_todos'))}
  ${rule('editors-create', actions('can_create_todo'), hasRole('admin', 'editor'))}
  ${rule('evil-genius-updates-any', actions('can_update_todo'), hasRole('evil_genius'))}
  ${rule('admin-deletes-any', actions('can_delete_todo'), hasRole('admin'))}
  ${rule('owner-changes-own', actions('can_update_todo', 'can_delete_todo'), `<Apply FunctionId="${F}and">${hasRole('editor', 'admin', 'evil_genius')}<Apply FunctionId="${F}string-at-least-one-member-of">${designator(SUBJECT, EMAIL)}${designator(RESOURCE, OWNER)}</Apply></Apply>`)}
</Policy>`;

/** Reads nested property members (dotted ids) and the absence of null / [] properties. */
const PROPERTIES_POLICY = `<Policy xmlns="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17" PolicyId="urn:example:properties" Version="1.0" RuleCombiningAlgId="urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:permit-overrides"><Target/>
  ${rule('nested', actions('inspect'), `<Apply FunctionId="${F}and">
    <Apply FunctionId="${F}string-is-in"><AttributeValue DataType="${XS}">Field notes</AttributeValue>${designator(RESOURCE, 'urn:safax:1.0:authzen:resource:record.title')}</Apply>
    <Apply FunctionId="${F}string-is-in"><AttributeValue DataType="${XS}">b</AttributeValue>${designator(RESOURCE, 'urn:safax:1.0:authzen:resource:record.tags')}</Apply>
    <Apply FunctionId="${F}string-is-in"><AttributeValue DataType="${XS}">ann</AttributeValue>${designator(RESOURCE, 'urn:safax:1.0:authzen:resource:record.authors.name')}</Apply>
    <Apply FunctionId="${F}integer-equal"><Apply FunctionId="${F}string-bag-size">${designator(RESOURCE, 'urn:safax:1.0:authzen:resource:gone')}</Apply><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#integer">0</AttributeValue></Apply>
    <Apply FunctionId="${F}integer-equal"><Apply FunctionId="${F}string-bag-size">${designator(RESOURCE, 'urn:safax:1.0:authzen:resource:none')}</Apply><AttributeValue DataType="http://www.w3.org/2001/XMLSchema#integer">0</AttributeValue></Apply>
    <Apply FunctionId="${F}string-is-in"><AttributeValue DataType="${XS}">true</AttributeValue>${designator(RESOURCE, 'urn:safax:1.0:authzen:resource:mixed')}</Apply>
  </Apply>`)}
  ${rule('in-the-folder', actions('read_in_folder'), `<Apply FunctionId="${F}string-is-in"><AttributeValue DataType="${XS}">folder-root</AttributeValue>${designator(RESOURCE, 'urn:oasis:names:tc:xacml:1.0:resource:resource-ancestor')}</Apply>`)}
</Policy>`;

interface User { readonly pid: string; readonly email: string; readonly roles: readonly string[] }
const USERS: Readonly<Record<string, User>> = {
  rick: { pid: 'pid-rick', email: 'rick@citadel.example', roles: ['admin', 'evil_genius'] },
  morty: { pid: 'pid-morty', email: 'morty@citadel.example', roles: ['editor'] },
  summer: { pid: 'pid-summer', email: 'summer@smiths.example', roles: ['editor'] },
  beth: { pid: 'pid-beth', email: 'beth@smiths.example', roles: ['viewer'] },
  jerry: { pid: 'pid-jerry', email: 'jerry@smiths.example', roles: ['viewer'] },
};
const NAMES = Object.keys(USERS);
const TODOS = [{ id: 'todo-a', owner: 'morty' }, { id: 'todo-b', owner: 'rick' }, { id: 'todo-c', owner: 'summer' }, { id: 'todo-d', owner: 'morty' }];

type Op = 'readUser' | 'readTodos' | 'create' | 'update' | 'delete';
const ACTION_OF: Record<Op, string> = { readUser: 'can_read_user', readTodos: 'can_read_todos', create: 'can_create_todo', update: 'can_update_todo', delete: 'can_delete_todo' };

/**
 * One request in the shape a draft of the spec (and of the interop scenario) used:
 * - draft00: attributes directly on subject/resource, the subject named by `identity`, no ids;
 * - draft00ids: the same with `type` and `id` added beside them;
 * - draft01: 1.0 shape, attributes under `properties` (also the final 1.0);
 * - draft02mixed: `type` + `identity` subjects and resources without ids (the 1.1 create/update pages).
 */
type Shape = 'draft00' | 'draft00ids' | 'draft01' | 'draft02mixed';
const SHAPES: Shape[] = ['draft00', 'draft00ids', 'draft01', 'draft02mixed'];

function request(shape: Shape, user: User, op: Op, ownerEmail: string, todoId = 'todo-x'): Record<string, unknown> {
  const action = { name: ACTION_OF[op] };
  const todo = op === 'update' || op === 'delete';
  const legacyResource = op === 'readUser' ? { userID: ownerEmail } : todo ? { ownerID: ownerEmail } : {};
  switch (shape) {
    case 'draft00':
      return { subject: { identity: user.pid }, action, resource: { type: op === 'readUser' ? 'user' : 'todo', ...legacyResource }, context: {} };
    case 'draft00ids':
      return { subject: { type: 'user', id: user.pid, identity: user.pid }, action, resource: { type: op === 'readUser' ? 'user' : 'todo', id: op === 'readUser' ? ownerEmail : todoId, ...legacyResource }, context: {} };
    case 'draft01':
      return { subject: { type: 'user', id: user.pid }, action, resource: { type: op === 'readUser' ? 'user' : 'todo', id: op === 'readUser' ? ownerEmail : todoId, ...(todo ? { properties: { ownerID: ownerEmail } } : {}) }, context: {} };
    case 'draft02mixed':
      return { subject: { type: 'user', identity: user.pid }, action, resource: { ...legacyResource, type: op === 'readUser' ? 'user' : 'todo' }, context: {} };
  }
}

/** The scenario's expectations: who may do what on their own todo and on someone else's. */
function expected(name: string, op: Op, own: boolean): boolean {
  const roles = USERS[name]!.roles;
  const editor = roles.some((r) => ['editor', 'admin', 'evil_genius'].includes(r));
  switch (op) {
    case 'readUser':
    case 'readTodos':
      return true;
    case 'create':
      return roles.includes('admin') || roles.includes('editor');
    case 'update':
      return roles.includes('evil_genius') || (own && editor);
    case 'delete':
      return roles.includes('admin') || (own && editor);
  }
}

describe('AuthZEN 1.0: the Todo application (sqlite)', () => {
  let t: TestPlatform;
  let o: OwnedDomain;
  const pdp = () => `/pdp/${o.pdpId}`;
  const post = (path: string, body: unknown) => t.as(o.owner.key).post(`${pdp()}${path}`).set('Content-Type', 'application/json').send(JSON.stringify(body));

  beforeAll(async () => {
    t = await startTestPlatform('sqlite');
    o = await ownerWithDomain(t, 'tina');
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/policies`).send({ policies: [{ text: TODO_POLICY }, { text: PROPERTIES_POLICY }] }).expect(201);
    const attributes = [
      ...Object.values(USERS).flatMap((u) => [
        { category: 'subject', entity: u.pid, attribute: ROLES, values: [...u.roles] },
        { category: 'subject', entity: u.pid, attribute: EMAIL, values: [u.email] },
      ]),
      ...TODOS.map((td) => ({ category: 'resource', entity: td.id, attribute: OWNER, values: [USERS[td.owner]!.email] })),
      // The hierarchy (Hierarchical Resource Profile) from the sample PIP: todo-a is filed in folder-mid, in folder-root.
      { category: 'resource', entity: 'todo-a', attribute: 'urn:oasis:names:tc:xacml:1.0:resource:resource-parent', values: ['folder-mid'] },
      { category: 'resource', entity: 'folder-mid', attribute: 'urn:oasis:names:tc:xacml:1.0:resource:resource-parent', values: ['folder-root'] },
    ];
    await t.as(o.owner.key).post(`/api/v1/domains/${o.domainId}/pip/attributes`).send({ attributes }).expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(SHAPES)('every route decides as the scenario says in the %s request shape', async (shape) => {
    const got: string[] = [];
    const want: string[] = [];
    for (const name of NAMES) {
      const user = USERS[name]!;
      for (const op of Object.keys(ACTION_OF) as Op[]) {
        for (const own of op === 'update' || op === 'delete' ? [true, false] : [true]) {
          const owner = own ? user.email : USERS[name === 'jerry' ? 'beth' : 'jerry']!.email;
          const r = await post('/access/v1/evaluation', request(shape, user, op, owner)).expect(200);
          got.push(`${name} ${op}${own ? '' : ' (not own)'}: ${r.body.decision}`);
          want.push(`${name} ${op}${own ? '' : ' (not own)'}: ${expected(name, op, own)}`);
        }
      }
    }
    expect(got).toEqual(want);
  });

  it('the 1.1 batch (an empty resource default, items with properties) and unknown members anywhere are ignored', async () => {
    const body = {
      subject: { type: 'user', id: USERS.morty!.pid, 'x-unknown': { nested: true } },
      action: { name: 'can_update_todo' },
      resource: {},
      context: {},
      evaluations: [
        { resource: { type: 'todo', id: 'todo-b', properties: { ownerID: USERS.rick!.email } }, 'x-item-hint': 1 },
        { resource: { type: 'todo', id: 'todo-a', properties: { ownerID: USERS.morty!.email } } },
      ],
      options: { evaluations_semantic: 'execute_all', another_option: 'value' },
      'x-trace': 'abc',
    };
    const r = await post('/access/v1/evaluations', body).expect(200);
    expect(r.body.evaluations.map((e: { decision: boolean }) => e.decision)).toEqual([false, true]);
    const single = await post('/access/v1/evaluation', { ...request('draft01', USERS.rick!, 'delete', USERS.morty!.email), 'x-extra': [1, 2] }).expect(200);
    expect(single.body.decision).toBe(true);
  });

  it('still refuses what cannot be decided, naming it (400)', async () => {
    expect(errorCode((await post('/access/v1/evaluation', { subject: { type: 'user' }, action: { name: 'x' }, resource: { type: 't', id: '1' } }).expect(400)).body)).toBe('bad-request');
    expect((await post('/access/v1/evaluation', { subject: { type: 'user', id: 'u' }, resource: { type: 't', id: '1' } }).expect(400)).body.error.message).toMatch(/action/);
    expect((await post('/access/v1/evaluation', { subject: { type: 'user', id: 'u' }, action: { name: 'x' }, resource: { type: 't', id: '1', properties: 'nope' } }).expect(400)).body.error.message).toMatch(/resource\.properties/);
    expect((await post('/access/v1/evaluations', { evaluations: [], options: { evaluations_semantic: 'sometimes' } }).expect(400)).body.error.message).toMatch(/evaluations_semantic/);
  });

  it('property objects become dotted attributes, null and [] no value, mixed arrays strings', async () => {
    const resource = (extra: Record<string, unknown>) => ({
      type: 'record', id: 'r-1',
      properties: { record: { title: 'Field notes', tags: ['a', 'b'], authors: [{ name: 'ann' }, { name: 'bo' }] }, gone: null, none: [], mixed: [1, 'two', true], ...extra },
    });
    const ask = async (extra: Record<string, unknown>) => (await post('/access/v1/evaluation', { subject: { type: 'user', id: 'u' }, action: { name: 'inspect' }, resource: resource(extra) }).expect(200)).body.decision;
    expect(await ask({})).toBe(true);
    expect(await ask({ gone: 'here' })).toBe(false);
    expect(await ask({ record: { title: 'Other', tags: ['b'], authors: { name: 'ann' } } })).toBe(false);
  });

  it('resource ancestors come from the sample PIP\'s resource-parent rows', async () => {
    const ask = async (id: string) => (await post('/access/v1/evaluation', { subject: { type: 'user', id: 'u' }, action: { name: 'read_in_folder' }, resource: { type: 'todo', id } }).expect(200)).body.decision;
    expect(await ask('todo-a')).toBe(true);
    expect(await ask('todo-b')).toBe(false);
  });

  it('properties the PEP sends take precedence over the sample PIP', async () => {
    const beth = request('draft01', USERS.beth!, 'create', '');
    expect((await post('/access/v1/evaluation', beth).expect(200)).body.decision).toBe(false);
    const claimed = { ...beth, subject: { type: 'user', id: USERS.beth!.pid, properties: { [ROLES]: ['editor'] } } };
    expect((await post('/access/v1/evaluation', claimed).expect(200)).body.decision).toBe(true);
  });

  describe('search', () => {
    it('subject search: who may delete a todo of Morty\'s (the sample PIP\'s subjects, evaluated)', async () => {
      const body = { subject: { type: 'user' }, action: { name: 'can_delete_todo' }, resource: { type: 'todo', id: 'todo-a', properties: { ownerID: USERS.morty!.email } } };
      const r = await post('/access/v1/search/subject', body).expect(200);
      expect(r.body).toEqual({ results: [{ type: 'user', id: USERS.morty!.pid }, { type: 'user', id: USERS.rick!.pid }], page: { next_token: '', count: 2, total: 2 } });
      // Every result, fed back into an evaluation, is permitted.
      for (const s of r.body.results) expect((await post('/access/v1/evaluation', { ...body, subject: s }).expect(200)).body.decision).toBe(true);
    });

    it('resource search: the todos Morty may complete (owners from the sample PIP), one page at a time', async () => {
      const body = { subject: { type: 'user', id: USERS.morty!.pid }, action: { name: 'can_update_todo' }, resource: { type: 'todo' } };
      const first = await post('/access/v1/search/resource', { ...body, page: { limit: 1 } }).expect(200);
      expect(first.body.results).toEqual([{ type: 'todo', id: 'todo-a' }]);
      expect(first.body.page).toMatchObject({ count: 1, total: 2 });
      expect(first.body.page.next_token).not.toBe('');
      const second = await post('/access/v1/search/resource', { ...body, page: { limit: 1, next_token: first.body.page.next_token } }).expect(200);
      expect(second.body).toEqual({ results: [{ type: 'todo', id: 'todo-d' }], page: { next_token: '', count: 1, total: 2 } });
      // The token belongs to that search.
      const other = await post('/access/v1/search/resource', { ...body, action: { name: 'can_delete_todo' }, page: { next_token: first.body.page.next_token } }).expect(400);
      expect(other.body.error.message).toMatch(/another search/);
      expect(errorCode((await post('/access/v1/search/resource', { ...body, page: { next_token: 'garbage!' } }).expect(400)).body)).toBe('bad-request');
      // Rick (evil genius) may complete every resource the domain knows (the policy does not look at the type).
      const rick = await post('/access/v1/search/resource', { ...body, subject: { type: 'user', id: USERS.rick!.pid } }).expect(200);
      expect(rick.body.results.map((x: { id: string }) => x.id)).toEqual(['folder-mid', ...TODOS.map((td) => td.id)].sort());
    });

    it('action search: what Beth and Morty may do to a todo of Morty\'s (actions named in the policies)', async () => {
      const ask = async (name: string) =>
        (await post('/access/v1/search/action', { subject: { type: 'user', id: USERS[name]!.pid }, resource: { type: 'todo', id: 'todo-a', properties: { ownerID: USERS.morty!.email } } }).expect(200)).body.results.map((a: { name: string }) => a.name);
      // todo-a sits in folder-root, so read_in_folder is permitted too.
      expect(await ask('beth')).toEqual(['can_read_todos', 'can_read_user', 'read_in_folder']);
      expect(await ask('morty')).toEqual(['can_create_todo', 'can_delete_todo', 'can_read_todos', 'can_read_user', 'can_update_todo', 'read_in_folder']);
    });

    it('refuses a search without what it needs, and an unknown kind', async () => {
      expect((await post('/access/v1/search/subject', { action: { name: 'x' }, resource: { type: 't', id: '1' } }).expect(400)).body.error.message).toMatch(/subject/);
      expect((await post('/access/v1/search/resource', { subject: { type: 'user', id: 'u' }, action: { name: 'x' }, resource: { id: '1' } }).expect(400)).body.error.message).toMatch(/resource\.type/);
      expect((await post('/access/v1/search/subject', { subject: { type: 'user' }, action: { name: 'x' }, resource: { type: 't' }, page: { limit: 0 } }).expect(400)).body.error.message).toMatch(/limit/);
      await post('/access/v1/search/tenant', {}).expect(404);
    });
  });

  describe('metadata', () => {
    it('is readable without a key where the spec puts it (well-known path after the host), advertising every endpoint', async () => {
      const r = await t.http().get(`/.well-known/authzen-configuration/pdp/${o.pdpId}`).expect(200);
      const base = `http://safax.test/pdp/${o.pdpId}`;
      expect(r.body).toEqual({
        policy_decision_point: base,
        access_evaluation_endpoint: `${base}/access/v1/evaluation`,
        access_evaluations_endpoint: `${base}/access/v1/evaluations`,
        search_subject_endpoint: `${base}/access/v1/search/subject`,
        search_resource_endpoint: `${base}/access/v1/search/resource`,
        search_action_endpoint: `${base}/access/v1/search/action`,
      });
      await t.http().get('/.well-known/authzen-configuration/pdp/no-such-pdp').expect(404);
    });

    it('the per-PDP location still answers the same (with a key)', async () => {
      const wellKnown = await t.http().get(`/.well-known/authzen-configuration/pdp/${o.pdpId}`).expect(200);
      const perPdp = await t.as(o.owner.key).get(`${pdp()}/.well-known/authzen-configuration`).expect(200);
      expect(perPdp.body).toEqual(wellKnown.body);
    });
  });
});
