/** Finds projects and domains by id or by name (`PROJECT/DOMAIN` for a domain by names). */
import { call } from './contract/api-client';
import type { Schemas } from './contract/api-client';
import type { Ctx } from './context';
import { CliError } from './exit-codes';

export async function resolveProject(ctx: Ctx, ref: string): Promise<Schemas['Project']> {
  const projects = (await call(ctx.conn().url, ctx.api().GET('/api/v1/projects'))).items;
  const byId = projects.find((p) => p.id === ref);
  if (byId) return byId;
  const byName = projects.filter((p) => p.name === ref);
  if (byName.length === 1 && byName[0]) return byName[0];
  if (byName.length > 1) throw new CliError('usage', `project name ${ref} is ambiguous: use its id`);
  throw new CliError('not-found', `project not found: ${ref}`);
}

/** A domain by id, or by `project/domain` names. */
export async function resolveDomain(ctx: Ctx, ref: string): Promise<Schemas['Domain']> {
  const slash = ref.indexOf('/');
  if (slash < 0) return call(ctx.conn().url, ctx.api().GET('/api/v1/domains/{domainId}', { params: { path: { domainId: ref } } }));
  const project = await resolveProject(ctx, ref.slice(0, slash));
  const name = ref.slice(slash + 1);
  const domains = (await call(ctx.conn().url, ctx.api().GET('/api/v1/projects/{projectId}/domains', { params: { path: { projectId: project.id } } }))).items;
  const d = domains.find((x) => x.name === name);
  if (!d) throw new CliError('not-found', `domain not found: ${ref}`);
  return d;
}

/** The domain id for a DOMAIN argument (no request when it is an id). */
export async function domainIdOf(ctx: Ctx, ref: string): Promise<string> {
  return ref.includes('/') ? (await resolveDomain(ctx, ref)).id : ref;
}
