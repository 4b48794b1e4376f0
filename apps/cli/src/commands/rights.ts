/**
 * Access-rights manager (clarus-arm's role): grant, revoke and list dataset rights of users,
 * groups and roles. The rights live in the domain's managed policy (see the README); each
 * change is a new version, so `policies versions/diff/rollback` apply.
 */
import type { Command } from 'commander';
import { call } from '../contract/api-client';
import type { Schemas } from '../contract/api-client';
import { contextOf } from '../context';
import type { Ctx } from '../context';
import { CliError } from '../exit-codes';
import type { Io } from '../io';
import { table } from '../output';
import { domainIdOf } from '../resolve';

interface SubjectFlags {
  user?: string;
  group?: string;
  role?: string;
}
interface ConditionFlags {
  hours?: string;
  from?: string;
  until?: string;
  purpose?: string[];
}

function subjectOf(o: SubjectFlags): Schemas['RightsSubject'] {
  const given = (['user', 'group', 'role'] as const).filter((k) => o[k] !== undefined);
  if (given.length !== 1) throw new CliError('usage', 'name exactly one of --user, --group or --role');
  const kind = given[0] as 'user' | 'group' | 'role';
  return { kind, name: o[kind] ?? '' };
}

/** Kept in step with @safax/contracts DATASET_ACTIONS by a test (not imported: it would load zod for every command). */
export const DATASET_ACTIONS = ['read', 'insert', 'update', 'delete', 'ddl'] as const;
export const MANAGED_RIGHTS_POLICY_ID = 'urn:safax:managed:dataset-rights';

function actionsOf(list: string | undefined): Schemas['DatasetAction'][] | undefined {
  if (list === undefined) return undefined;
  const actions = list.split(',').map((a) => a.trim()).filter((a) => a !== '');
  for (const a of actions) if (!(DATASET_ACTIONS as readonly string[]).includes(a)) throw new CliError('usage', `--actions: unknown action ${a} (one of ${DATASET_ACTIONS.join(', ')})`);
  if (actions.length === 0) throw new CliError('usage', '--actions: at least one action');
  return actions as Schemas['DatasetAction'][];
}

function conditionsOf(o: ConditionFlags): Schemas['RightsConditions'] | undefined {
  const c: Schemas['RightsConditions'] = {};
  if (o.hours !== undefined) {
    const m = /^([^-]+)-([^-]+)$/.exec(o.hours);
    if (!m) throw new CliError('usage', `--hours: a time window such as 09:00-17:00, not ${o.hours}`);
    c.timeFrom = m[1];
    c.timeUntil = m[2];
  }
  if (o.from !== undefined) c.validFrom = o.from;
  if (o.until !== undefined) c.validUntil = o.until;
  if (o.purpose !== undefined && o.purpose.length > 0) c.purposes = o.purpose.flatMap((p) => p.split(',')).map((p) => p.trim()).filter((p) => p !== '');
  return Object.keys(c).length > 0 ? c : undefined;
}

function describeConditions(c: Schemas['RightsConditions'] | undefined): string {
  if (!c) return '';
  return [
    c.timeFrom !== undefined ? `${c.timeFrom}-${c.timeUntil ?? ''}` : '',
    c.validFrom !== undefined ? `from ${c.validFrom}` : '',
    c.validUntil !== undefined ? `until ${c.validUntil}` : '',
    c.purposes !== undefined ? `purpose ${c.purposes.join('|')}` : '',
  ]
    .filter((s) => s !== '')
    .join('; ');
}

function rightsTable(items: readonly Schemas['DatasetRight'][]): string {
  return table(['subject', 'dataset', 'actions', 'conditions'], items.map((r) => [`${r.subject.kind}:${r.subject.name}`, r.dataset, r.actions.join(','), describeConditions(r.conditions)]));
}

function withSubjectAndConditions(cmd: Command): Command {
  return cmd
    .option('--user <name>', 'a user (subject-id)')
    .option('--group <name>', 'a group (urn:safax:1.0:subject:group)')
    .option('--role <name>', 'a role (urn:oasis:names:tc:xacml:2.0:subject:role)')
    .requiredOption('--dataset <schema.table>', 'the dataset, lower case as PostgreSQL resolves it, e.g. public.patients')
    .option('--hours <from-until>', 'time-of-day window, e.g. 09:00-17:00 (the PDP\'s current-time)')
    .option('--from <datetime>', 'valid from (ISO 8601 with offset)')
    .option('--until <datetime>', 'valid until (ISO 8601 with offset)')
    .option('--purpose <purpose...>', 'declared purpose(s), any of which the request must carry');
}

function warn(ctx: Ctx, warnings: readonly string[]): void {
  for (const w of warnings) ctx.out.warn(w);
}

export function registerRights(program: Command, io: Io): void {
  const rights = program.command('rights').description(`Dataset rights of users, groups and roles (kept in the managed policy ${MANAGED_RIGHTS_POLICY_ID})`);

  withSubjectAndConditions(rights.command('grant <domain>').description('Grant actions on a dataset (a new version of the managed policy, in force at once)'))
    .requiredOption('--actions <list>', `comma-separated: ${DATASET_ACTIONS.join(', ')}`)
    .addHelpText('after', '\nExamples:\n  safax rights grant clinic/db --user bob --dataset public.patients --actions read\n  safax rights grant clinic/db --group nurses --dataset public.visits --actions read,update --hours 08:00-18:00 --purpose care')
    .action(async (ref: string, o: SubjectFlags & ConditionFlags & { dataset: string; actions: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const conditions = conditionsOf(o);
      const body = { subject: subjectOf(o), dataset: o.dataset, actions: actionsOf(o.actions) ?? [], ...(conditions ? { conditions } : {}) };
      const domainId = await domainIdOf(ctx, ref);
      const r = await call(ctx.conn().url, ctx.api().POST('/api/v1/domains/{domainId}/rights/grant', { params: { path: { domainId } }, body }));
      warn(ctx, r.warnings);
      ctx.out.result(r, () => (r.changed ? `granted: ${body.subject.kind} ${body.subject.name} may ${body.actions.join(', ')} ${body.dataset} (managed policy v${r.version ?? '-'})` : `unchanged: already granted (managed policy v${r.version ?? '-'})`));
    });

  withSubjectAndConditions(rights.command('revoke <domain>').description('Revoke actions (default all) on a dataset; with conditions only the grant made with them'))
    .option('--actions <list>', 'comma-separated actions to take away (default all)')
    .addHelpText('after', '\nExample:\n  safax rights revoke clinic/db --user bob --dataset public.patients')
    .action(async (ref: string, o: SubjectFlags & ConditionFlags & { dataset: string; actions?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const conditions = conditionsOf(o);
      const actions = actionsOf(o.actions);
      const body = { subject: subjectOf(o), dataset: o.dataset, ...(actions ? { actions } : {}), ...(conditions ? { conditions } : {}) };
      const domainId = await domainIdOf(ctx, ref);
      const r = await call(ctx.conn().url, ctx.api().POST('/api/v1/domains/{domainId}/rights/revoke', { params: { path: { domainId } }, body }));
      warn(ctx, r.warnings);
      ctx.out.result(r, () => (r.changed ? `revoked: ${body.subject.kind} ${body.subject.name} on ${body.dataset}${actions ? ` (${actions.join(', ')})` : ''} (managed policy v${r.version ?? '-'})` : 'unchanged: nothing to revoke'));
    });

  rights
    .command('list <domain>')
    .description('List the rights in force')
    .option('--user <name>', 'only this user')
    .option('--group <name>', 'only this group')
    .option('--role <name>', 'only this role')
    .option('--dataset <schema.table>', 'only this dataset')
    .action(async (ref: string, o: SubjectFlags & { dataset?: string }, cmd: Command) => {
      const ctx = contextOf(io, cmd);
      const given = (['user', 'group', 'role'] as const).filter((k) => o[k] !== undefined);
      if (given.length > 1) throw new CliError('usage', 'filter by at most one of --user, --group, --role');
      const kind = given[0];
      const query = { ...(kind ? { kind, subject: o[kind] ?? '' } : {}), ...(o.dataset !== undefined ? { dataset: o.dataset } : {}) };
      const domainId = await domainIdOf(ctx, ref);
      const r = await call(ctx.conn().url, ctx.api().GET('/api/v1/domains/{domainId}/rights', { params: { path: { domainId }, query } }));
      warn(ctx, r.warnings);
      ctx.out.result(r, () => (r.items.length === 0 ? `no rights (managed policy ${r.version === null ? 'not active' : `v${r.version}`})` : `${rightsTable(r.items)}\n(managed policy v${r.version ?? '-'})`));
    });
}
