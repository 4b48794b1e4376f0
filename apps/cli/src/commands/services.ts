/** Service Repository (clarus-adm's modules): register, list, show, enable, disable, delete; sample PIP import. */
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { call } from '../contract/api-client';
import type { Schemas } from '../contract/api-client';
import { contextOf } from '../context';
import { CliError } from '../exit-codes';
import { fetchText, readText } from '../files';
import type { Io } from '../io';
import { table } from '../output';
import { domainIdOf } from '../resolve';

function parseDescriptor(text: string, from: string): Schemas['ServiceDescriptor'] {
  try {
    return (from.endsWith('.yaml') || from.endsWith('.yml') ? parseYaml(text) : JSON.parse(text)) as Schemas['ServiceDescriptor'];
  } catch (e) {
    throw new CliError('bad-input', `${from}: not a JSON (or YAML) service descriptor: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function registerServices(program: Command, io: Io): void {
  const services = program.command('services').description('Service Repository: trust services (UDFs), Context Handlers, PDPs, ...');
  services
    .command('register')
    .description('Register a service from its descriptor (a file, or a URL it is published at)')
    .option('--file <path>', 'descriptor file (JSON or YAML)')
    .option('--descriptor-url <url>', 'fetch the descriptor from this URL')
    .option('--update', 'replace the descriptor of an already registered service with the same id')
    .addHelpText('after', '\nExample:\n  safax services register --file credential-service.json')
    .action(async (o: { file?: string; descriptorUrl?: string; update?: boolean }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      if ((o.file === undefined) === (o.descriptorUrl === undefined)) throw new CliError('usage', 'services register: give exactly one of --file or --descriptor-url');
      const descriptor = o.file !== undefined ? parseDescriptor(readText(o.file, io.cwd), o.file) : parseDescriptor(await fetchText(o.descriptorUrl ?? '', ctx.timeoutMs), o.descriptorUrl ?? '');
      const r = o.update
        ? await call(ctx.conn().url, ctx.api().PUT('/api/v1/services/{serviceId}', { params: { path: { serviceId: String((descriptor as { id?: unknown }).id ?? '') } }, body: descriptor }))
        : await call(ctx.conn().url, ctx.api().POST('/api/v1/services', { body: descriptor }));
      ctx.out.result(r, () => `${o.update ? 'updated' : 'registered'} ${r.descriptor.type} service ${r.descriptor.id}${r.enabled ? '' : ' (disabled)'}`);
    });
  services
    .command('list')
    .description('Discover services')
    .option('--type <type>', 'pdp, pap, udf, context-handler, other')
    .option('--q <text>', 'text in id or description')
    .action(async (o: { type?: string; q?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const query = { ...(o.type !== undefined ? { type: o.type as Schemas['ServiceType'] } : {}), ...(o.q !== undefined ? { q: o.q } : {}) };
      const r = await call(ctx.conn().url, ctx.api().GET('/api/v1/services', { params: { query } }));
      ctx.out.result(r.items, () => table(['id', 'type', 'enabled', 'endpoint'], r.items.map((s) => [s.descriptor.id, s.descriptor.type, s.enabled, s.descriptor.endpoint])));
    });
  services
    .command('show <serviceId>')
    .description('Show a service with its descriptor')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const r = await call(ctx.conn().url, ctx.api().GET('/api/v1/services/{serviceId}', { params: { path: { serviceId: id } } }));
      ctx.out.result(r, () => JSON.stringify(r, null, 2));
    });
  for (const verb of ['enable', 'disable'] as const) {
    services
      .command(`${verb} <serviceId>`)
      .description(verb === 'enable' ? 'Enable a service (registrant)' : 'Disable a service (registrant); it is never called while disabled')
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const ctx = contextOf(io, cmd);
        const params = { params: { path: { serviceId: id } } };
        const r = await call(ctx.conn().url, verb === 'enable' ? ctx.api().POST('/api/v1/services/{serviceId}/enable', params) : ctx.api().POST('/api/v1/services/{serviceId}/disable', params));
        ctx.out.result(r, () => `${r.descriptor.id}: ${r.enabled ? 'enabled' : 'disabled'}`);
      });
  }
  services
    .command('delete <serviceId>')
    .description('Delete a service (registrant)')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      await call(ctx.conn().url, ctx.api().DELETE('/api/v1/services/{serviceId}', { params: { path: { serviceId: id } } }));
      ctx.out.result({ deleted: id }, () => `deleted ${id}`);
    });

  const pip = program.command('pip').description("A domain's sample PIP (attributes the PDP adds to requests that lack them)");
  pip
    .command('import <domain> <file>')
    .description('Import attributes from CSV (category,entity,attribute,datatype,value) or JSON, in one transaction')
    .option('--replace', "clear the domain's attributes first")
    .addHelpText('after', '\nJSON: [{ "category", "entity", "attribute", "datatype"?, "values": [...] }] or { "attributes": [...] }.\nExample:\n  safax pip import alice-data/AD1 resources.csv')
    .action(async (ref: string, file: string, o: { replace?: boolean }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const text = readText(file, io.cwd);
      const id = await domainIdOf(ctx, ref);
      const path = { domainId: id };
      let r: { upserted: number };
      if (/\.csv$/i.test(file)) {
        r = await call(
          ctx.conn().url,
          ctx.api().POST('/api/v1/domains/{domainId}/pip/attributes', {
            params: { path, query: { replace: o.replace ? 'true' : 'false' } },
            body: text as unknown as Schemas['UpsertPipAttributes'],
            bodySerializer: (b: unknown) => b as string,
            headers: { 'Content-Type': 'text/csv' },
          }),
        );
      } else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (e) {
          throw new CliError('bad-input', `${file} is neither CSV (.csv) nor JSON: ${e instanceof Error ? e.message : String(e)}`);
        }
        const attributes = (Array.isArray(parsed) ? parsed : (parsed as { attributes?: unknown }).attributes) as Schemas['UpsertPipAttributes']['attributes'];
        r = await call(ctx.conn().url, ctx.api().POST('/api/v1/domains/{domainId}/pip/attributes', { params: { path }, body: { attributes, ...(o.replace ? { replace: true } : {}) } }));
      }
      ctx.out.result(r, () => `imported ${r.upserted} attribute(s) into ${ref}`);
    });
  pip
    .command('list <domain>')
    .description('List sample PIP attributes')
    .option('--category <c>', 'subject, resource, action, environment or a URN')
    .option('--entity <id>', 'the entity the attributes describe')
    .action(async (ref: string, o: { category?: string; entity?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await domainIdOf(ctx, ref);
      const query = { ...(o.category !== undefined ? { category: o.category } : {}), ...(o.entity !== undefined ? { entity: o.entity } : {}) };
      const r = await call(ctx.conn().url, ctx.api().GET('/api/v1/domains/{domainId}/pip/attributes', { params: { path: { domainId: id }, query } }));
      ctx.out.result(r.items, () => table(['category', 'entity', 'attribute', 'values'], r.items.map((a) => [a.category.split(':').pop(), a.entity, a.attribute, a.values.join(', ')])));
    });
  pip
    .command('clear <domain>')
    .description('Delete attributes (all, or those matching the filters)')
    .option('--category <c>', 'category')
    .option('--entity <id>', 'entity')
    .option('--attribute <id>', 'attribute id')
    .action(async (ref: string, o: { category?: string; entity?: string; attribute?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const id = await domainIdOf(ctx, ref);
      const query = { ...(o.category !== undefined ? { category: o.category } : {}), ...(o.entity !== undefined ? { entity: o.entity } : {}), ...(o.attribute !== undefined ? { attribute: o.attribute } : {}) };
      const r = await call(ctx.conn().url, ctx.api().DELETE('/api/v1/domains/{domainId}/pip/attributes', { params: { path: { domainId: id }, query } }));
      ctx.out.result(r, () => `deleted ${r.deleted} attribute(s)`);
    });
}
