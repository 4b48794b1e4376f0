/**
 * Administration (clarus-adm's role): principals and their API keys, projects and
 * collaborators, domains and their PDP configuration, domains controllers.
 */
import type { Command } from 'commander';
import { call } from '../contract/api-client';
import type { Schemas } from '../contract/api-client';
import { contextOf } from '../context';
import type { Ctx } from '../context';
import { CliError } from '../exit-codes';
import type { Io } from '../io';
import { table } from '../output';
import { domainIdOf, resolveDomain, resolveProject } from '../resolve';

const ROLES = ['admin', 'domain-owner', 'domains-controller', 'trust-service-provider'] as const;
type Role = (typeof ROLES)[number];

function roles(list: string | undefined): Role[] {
  if (list === undefined || list.trim() === '') return [];
  return list.split(',').map((r) => {
    const role = r.trim();
    if (!(ROLES as readonly string[]).includes(role)) throw new CliError('usage', `--roles: unknown role ${role} (one of ${ROLES.join(', ')})`);
    return role as Role;
  });
}

function bool(name: string, v: string): boolean {
  if (v === 'true' || v === 'yes' || v === 'on') return true;
  if (v === 'false' || v === 'no' || v === 'off') return false;
  throw new CliError('usage', `${name}: true or false, not ${v}`);
}

async function principalId(ctx: Ctx, ref: string): Promise<string> {
  const items = (await call(ctx.conn().url, ctx.api().GET('/api/v1/principals'))).items;
  const p = items.find((x) => x.id === ref || x.name === ref);
  if (!p) throw new CliError('not-found', `principal not found: ${ref}`);
  return p.id;
}

function principalRows(items: readonly Schemas['Principal'][]): string {
  return table(['id', 'name', 'roles', 'created'], items.map((p) => [p.id, p.name, p.roles.join(','), p.createdAt]));
}

function domainText(d: Schemas['Domain']): string {
  return [`domain ${d.name} (${d.id})`, `  PDP-URL     ${d.pdpUrl}`, `  public      ${d.publicPdp}`, `  revision    ${d.revision}`, `  controllers ${d.controllers.map((c) => c.name).join(', ') || '-'}`].join('\n');
}

export function registerAdmin(program: Command, io: Io): void {
  const principals = program.command('principals').description('Principals (users, domains controllers, trust-service providers) and their API keys (admin)');
  principals
    .command('list')
    .description('List principals')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const r = await call(ctx.conn().url, ctx.api().GET('/api/v1/principals'));
      ctx.out.result(r.items, () => principalRows(r.items));
    });
  principals
    .command('create <name>')
    .description('Create a principal; its first API key is printed once')
    .option('--roles <list>', `comma-separated: ${ROLES.join(', ')}`)
    .addHelpText('after', '\nExample:\n  safax principals create alice --roles domain-owner')
    .action(async (name: string, o: { roles?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const r = await call(ctx.conn().url, ctx.api().POST('/api/v1/principals', { body: { name, roles: roles(o.roles) } }));
      ctx.out.result(r, () => `created ${r.principal.name} (${r.principal.id}) roles: ${r.principal.roles.join(',') || '-'}\nAPI key (shown once): ${r.apiKey}`);
    });
  principals
    .command('roles <principal> <roles>')
    .description('Replace a principal\'s roles (comma-separated; "" for none)')
    .action(async (ref: string, list: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await principalId(ctx, ref);
      const r = await call(ctx.conn().url, ctx.api().PATCH('/api/v1/principals/{principalId}', { params: { path: { principalId: id } }, body: { roles: roles(list) } }));
      ctx.out.result(r, () => `${r.name}: ${r.roles.join(',') || '-'}`);
    });
  principals
    .command('delete <principal>')
    .description('Delete a principal with its keys and projects')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await principalId(ctx, ref);
      await call(ctx.conn().url, ctx.api().DELETE('/api/v1/principals/{principalId}', { params: { path: { principalId: id } } }));
      ctx.out.result({ deleted: id }, () => `deleted ${ref}`);
    });

  const keys = program.command('keys').description('API keys of a principal');
  keys
    .command('list <principal>')
    .description('List keys (prefix and label only)')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await principalId(ctx, ref);
      const r = await call(ctx.conn().url, ctx.api().GET('/api/v1/principals/{principalId}/api-keys', { params: { path: { principalId: id } } }));
      ctx.out.result(r.items, () => table(['id', 'prefix', 'label', 'created', 'last used'], r.items.map((k) => [k.id, k.prefix, k.label, k.createdAt, k.lastUsedAt])));
    });
  keys
    .command('create <principal>')
    .description('Issue another key (printed once)')
    .option('--label <label>', 'what the key is for', '')
    .action(async (ref: string, o: { label: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await principalId(ctx, ref);
      const r = await call(ctx.conn().url, ctx.api().POST('/api/v1/principals/{principalId}/api-keys', { params: { path: { principalId: id } }, body: { label: o.label } }));
      ctx.out.result(r, () => `key ${r.id} (${r.prefix}…)\nAPI key (shown once): ${r.apiKey}`);
    });
  keys
    .command('revoke <principal> <keyId>')
    .description('Revoke a key')
    .action(async (ref: string, keyId: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await principalId(ctx, ref);
      await call(ctx.conn().url, ctx.api().DELETE('/api/v1/principals/{principalId}/api-keys/{keyId}', { params: { path: { principalId: id, keyId } } }));
      ctx.out.result({ revoked: keyId }, () => `revoked ${keyId}`);
    });

  const projects = program.command('projects').description("Projects (a domain owner's) and their collaborators");
  projects
    .command('list')
    .description('List the projects you own or collaborate on (admins: all)')
    .action(async (_o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const r = await call(ctx.conn().url, ctx.api().GET('/api/v1/projects'));
      ctx.out.result(r.items, () => table(['id', 'name', 'owner', 'collaborators'], r.items.map((p) => [p.id, p.name, p.ownerId, (p.collaborators ?? []).map((c) => c.name).join(',')])));
    });
  projects
    .command('create <name>')
    .description('Create a project you own (domain owners)')
    .option('--description <text>', 'what it is for')
    .addHelpText('after', '\nExample:\n  safax projects create alice-data --description "Alice\'s photos and documents"')
    .action(async (name: string, o: { description?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const r = await call(ctx.conn().url, ctx.api().POST('/api/v1/projects', { body: { name, ...(o.description !== undefined ? { description: o.description } : {}) } }));
      ctx.out.result(r, () => `created project ${r.name} (${r.id})`);
    });
  projects
    .command('show <project>')
    .description('Show a project (id or name)')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const p = await resolveProject(ctx, ref);
      const domains = (await call(ctx.conn().url, ctx.api().GET('/api/v1/projects/{projectId}/domains', { params: { path: { projectId: p.id } } }))).items;
      ctx.out.result({ ...p, domains }, () => `project ${p.name} (${p.id})\n${table(['domain id', 'name', 'pdp-url'], domains.map((d) => [d.id, d.name, d.pdpUrl]))}`);
    });
  projects
    .command('delete <project>')
    .description('Delete a project with its domains, policies and logs (owner)')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const p = await resolveProject(ctx, ref);
      await call(ctx.conn().url, ctx.api().DELETE('/api/v1/projects/{projectId}', { params: { path: { projectId: p.id } } }));
      ctx.out.result({ deleted: p.id }, () => `deleted project ${p.name}`);
    });
  const collaborators = projects.command('collaborators').description('Collaborators of a project (owner)');
  for (const [verb, method] of [
    ['add', 'PUT'],
    ['remove', 'DELETE'],
  ] as const) {
    collaborators
      .command(`${verb} <project> <principal>`)
      .description(`${verb === 'add' ? 'Add' : 'Remove'} a collaborator (principal id or name)`)
      .action(async (ref: string, principal: string, _o: unknown, cmd: Command) => {
        const ctx = contextOf(io, cmd);
        const p = await resolveProject(ctx, ref);
        const params = { params: { path: { projectId: p.id, principal } } };
        const r = await call(ctx.conn().url, method === 'PUT' ? ctx.api().PUT('/api/v1/projects/{projectId}/collaborators/{principal}', params) : ctx.api().DELETE('/api/v1/projects/{projectId}/collaborators/{principal}', params));
        ctx.out.result(r, () => `${p.name} collaborators: ${(r.collaborators ?? []).map((c) => c.name).join(', ') || '-'}`);
      });
  }

  const domains = program.command('domains').description('Domains: each has its own PDP and PDP-URL');
  domains
    .command('list <project>')
    .description("List a project's domains")
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const p = await resolveProject(ctx, ref);
      const r = await call(ctx.conn().url, ctx.api().GET('/api/v1/projects/{projectId}/domains', { params: { path: { projectId: p.id } } }));
      ctx.out.result(r.items, () => table(['id', 'name', 'public', 'pdp-url'], r.items.map((d) => [d.id, d.name, d.publicPdp, d.pdpUrl])));
    });
  domains
    .command('create <project> <name>')
    .description('Create a domain with its PDP (prints the PDP-URL)')
    .option('--description <text>', 'what it protects')
    .option('--public', 'anyone holding the PDP-URL may call it')
    .addHelpText('after', '\nExample:\n  safax domains create alice-data AD1')
    .action(async (ref: string, name: string, o: { description?: string; public?: boolean }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const p = await resolveProject(ctx, ref);
      const d = await call(ctx.conn().url, ctx.api().POST('/api/v1/projects/{projectId}/domains', { params: { path: { projectId: p.id } }, body: { name, ...(o.description !== undefined ? { description: o.description } : {}), ...(o.public ? { publicPdp: true } : {}) } }));
      ctx.out.result(d, () => domainText(d));
    });
  domains
    .command('show <domain>')
    .description('Show a domain (id or PROJECT/DOMAIN) with its PDP-URL')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const d = await resolveDomain(ctx, ref);
      ctx.out.result(d, () => domainText(d));
    });
  domains
    .command('update <domain>')
    .description('Rename a domain or make its PDP-URL public/private')
    .option('--name <name>', 'new name')
    .option('--description <text>', 'new description')
    .option('--public <bool>', 'true: anyone with the PDP-URL may call it')
    .action(async (ref: string, o: { name?: string; description?: string; public?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await domainIdOf(ctx, ref);
      const body = { ...(o.name !== undefined ? { name: o.name } : {}), ...(o.description !== undefined ? { description: o.description } : {}), ...(o.public !== undefined ? { publicPdp: bool('--public', o.public) } : {}) };
      if (Object.keys(body).length === 0) throw new CliError('usage', 'domains update: give --name, --description or --public');
      const d = await call(ctx.conn().url, ctx.api().PATCH('/api/v1/domains/{domainId}', { params: { path: { domainId: id } }, body }));
      ctx.out.result(d, () => domainText(d));
    });
  domains
    .command('delete <domain>')
    .description('Delete a domain with its PDP, policies, PIP and logs')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await domainIdOf(ctx, ref);
      await call(ctx.conn().url, ctx.api().DELETE('/api/v1/domains/{domainId}', { params: { path: { domainId: id } } }));
      ctx.out.result({ deleted: id }, () => `deleted domain ${ref}`);
    });

  const pdp = program.command('pdp').description("A domain's PDP configuration (PDPC)");
  pdp
    .command('show <domain>')
    .description('Show the PDP configuration and PDP-URL')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await domainIdOf(ctx, ref);
      const c = await call(ctx.conn().url, ctx.api().GET('/api/v1/domains/{domainId}/pdp', { params: { path: { domainId: id } } }));
      ctx.out.result(c, () => Object.entries(c).map(([k, v]) => `${k.padEnd(24)} ${Array.isArray(v) ? v.join(', ') || '[]' : String(v)}`).join('\n'));
    });
  pdp
    .command('set <domain>')
    .description('Change the PDP configuration (compiled with the active policies first)')
    .option('--algorithm <urn>', 'root policy-combining algorithm (URN, or a short name such as permit-overrides)')
    .option('--roots <ids>', 'comma-separated root policy ids ("" = the documents no other references)')
    .option('--return-policy-ids <bool>', 'always return the PolicyIdentifierList')
    .option('--xpath <bool>', 'AttributeSelector and XPath functions on/off')
    .option('--timeout-ms <n>', 'limit for external work per evaluation')
    .option('--log <detail>', 'decision log detail: none, decision, full')
    .option('--log-retention-days <n>', 'days the decision log keeps ("none" = until the domain goes)')
    .option('--compat <bool>', 'compatibility mode for stores exported from lenient engines (leniencies reported as warnings)')
    .addHelpText('after', '\nExample:\n  safax pdp set alice-data/AD1 --algorithm permit-overrides --log full --compat false')
    .action(async (ref: string, o: { algorithm?: string; roots?: string; returnPolicyIds?: string; xpath?: string; timeoutMs?: string; log?: string; logRetentionDays?: string; compat?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await domainIdOf(ctx, ref);
      // first-applicable and only-one-applicable exist only under the 1.0 identifiers.
      const algorithm = o.algorithm === undefined ? undefined : o.algorithm.includes(':') ? o.algorithm : `urn:oasis:names:tc:xacml:${['first-applicable', 'only-one-applicable'].includes(o.algorithm) ? '1.0' : '3.0'}:policy-combining-algorithm:${o.algorithm}`;
      if (o.log !== undefined && !['none', 'decision', 'full'].includes(o.log)) throw new CliError('usage', `--log: none, decision or full, not ${o.log}`);
      const timeout = o.timeoutMs === undefined ? undefined : Number(o.timeoutMs);
      if (timeout !== undefined && !Number.isInteger(timeout)) throw new CliError('usage', `--timeout-ms: an integer, not ${o.timeoutMs}`);
      const retention = o.logRetentionDays === undefined ? undefined : o.logRetentionDays === 'none' ? null : Number(o.logRetentionDays);
      if (retention !== undefined && retention !== null && !Number.isInteger(retention)) throw new CliError('usage', `--log-retention-days: an integer or none, not ${o.logRetentionDays}`);
      const body = {
        ...(algorithm !== undefined ? { rootCombiningAlgorithm: algorithm } : {}),
        ...(o.roots !== undefined ? { rootPolicyIds: o.roots.split(',').map((s) => s.trim()).filter((s) => s !== '') } : {}),
        ...(o.returnPolicyIds !== undefined ? { returnPolicyIdList: bool('--return-policy-ids', o.returnPolicyIds) } : {}),
        ...(o.xpath !== undefined ? { xpath: bool('--xpath', o.xpath) } : {}),
        ...(timeout !== undefined ? { evaluationTimeoutMs: timeout } : {}),
        ...(o.log !== undefined ? { logDetail: o.log as 'none' | 'decision' | 'full' } : {}),
        ...(retention !== undefined ? { logRetentionDays: retention } : {}),
        ...(o.compat !== undefined ? { compatibilityMode: bool('--compat', o.compat) } : {}),
      };
      if (Object.keys(body).length === 0) throw new CliError('usage', 'pdp set: give at least one option (see --help)');
      const c = await call(ctx.conn().url, ctx.api().PUT('/api/v1/domains/{domainId}/pdp', { params: { path: { domainId: id } }, body }));
      ctx.out.result(c, () => `PDP configuration of ${ref} updated: ${c.rootCombiningAlgorithm.split(':').pop() ?? ''}, roots [${c.rootPolicyIds.join(', ')}], log ${c.logDetail}${c.compatibilityMode ? ', compatibility mode' : ''}`);
    });

  const controllers = program.command('controllers').description('Domains controllers authorised to call a domain\'s PDP-URL');
  controllers
    .command('list <domain>')
    .description('List the authorised controllers')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const d = await resolveDomain(ctx, ref);
      ctx.out.result(d.controllers, () => table(['id', 'name'], d.controllers.map((c) => [c.id, c.name])));
    });
  controllers
    .command('create <domain>')
    .description('Create a domains controller for the domain and authorise it; prints its API key once')
    .requiredOption('--name <name>', 'the controller principal\'s name')
    .addHelpText('after', '\nThe domain\'s owner (or an admin) may onboard controllers: the principal is created and authorised in one call.\nExample:\n  safax controllers create alice-data/AD1 --name dc1')
    .action(async (ref: string, o: { name: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await domainIdOf(ctx, ref);
      const created = await call(ctx.conn().url, ctx.api().POST('/api/v1/domains/{domainId}/controllers', { params: { path: { domainId: id } }, body: { name: o.name } }));
      const result = { principal: created.principal, apiKey: created.apiKey, domain: { ...created.domain, pdpUrl: created.pdpUrl, authzenUrl: created.authzenUrl } };
      ctx.out.result(result, () => `created domains controller ${created.principal.name} (${created.principal.id}) for ${created.domain.name}\nPDP-URL: ${created.pdpUrl}\nAuthZEN: ${created.authzenUrl}\nAPI key (shown once): ${created.apiKey}`);
    });
  for (const [verb, method] of [
    ['add', 'PUT'],
    ['remove', 'DELETE'],
  ] as const) {
    controllers
      .command(`${verb} <domain> <principal>`)
      .description(`${verb === 'add' ? 'Authorise' : 'Withdraw'} an existing domains controller (id or name)`)
      .action(async (ref: string, principal: string, _o: unknown, cmd: Command) => {
        const ctx = contextOf(io, cmd);
        const id = await domainIdOf(ctx, ref);
        const params = { params: { path: { domainId: id, principal } } };
        const d = await call(ctx.conn().url, method === 'PUT' ? ctx.api().PUT('/api/v1/domains/{domainId}/controllers/{principal}', params) : ctx.api().DELETE('/api/v1/domains/{domainId}/controllers/{principal}', params));
        ctx.out.result(d.controllers, () => `${d.name} controllers: ${d.controllers.map((c) => c.name).join(', ') || '-'}`);
      });
  }
}
