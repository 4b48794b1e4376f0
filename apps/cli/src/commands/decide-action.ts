/** The work of `safax decide` (loaded when the command runs): one request through the PEP SDK. */
import type { Command } from 'commander';
import type { PepRequest, Properties } from '@safax/pep';
import { RIGHTS_VOCABULARY as V } from '@safax/contracts';
import { contextOf } from '../context';
import { CliError } from '../exit-codes';
import { readText } from '../files';
import type { Io } from '../io';
import { pdpClient } from '../pdp-client';
import { observedOf } from '../policy-tests/run-remote';
import { REQUEST_FORMATS, fromRaw, guessFormat } from '../requests';
import type { RequestFormat } from '../requests';
import { resolveDomain } from '../resolve';

export interface DecideFlags {
  file?: string;
  format?: string;
  subject?: string;
  user?: string;
  group?: string[];
  role?: string[];
  action?: string;
  resource?: string;
  dataset?: string;
  purpose?: string;
  attr?: string[];
  pdpUrl?: string;
}

const SECTION = { subject: 'subject', resource: 'resource', action: 'action', env: 'environment', environment: 'environment' } as const;

/** `--attr subject:urn:x:y=v` (repeatable); several values for one id make a bag. */
function attributes(list: readonly string[]): Record<'subject' | 'resource' | 'action' | 'environment', Record<string, string[]>> {
  const out = { subject: {}, resource: {}, action: {}, environment: {} } as Record<'subject' | 'resource' | 'action' | 'environment', Record<string, string[]>>;
  for (const a of list) {
    const m = /^(subject|resource|action|env|environment)\.([^=]+)=(.*)$/.exec(a);
    if (!m) throw new CliError('usage', `--attr: section.attribute=value (section subject, resource, action or env), not ${a}`);
    const section = SECTION[m[1] as keyof typeof SECTION];
    (out[section][m[2] as string] ??= []).push(m[3] as string);
  }
  return out;
}

function bagProps(r: Record<string, string[]>): Properties {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.length === 1 ? (v[0] as string) : v]));
}

/** The request from flags: --subject/--user, --action, --resource/--dataset, groups, roles, purpose, --attr. */
export function requestFromFlags(o: DecideFlags): PepRequest {
  const subjectId = o.user ?? o.subject;
  const resourceId = o.dataset ?? o.resource;
  if (subjectId === undefined || o.action === undefined || resourceId === undefined) throw new CliError('usage', 'decide needs --file, or --subject (or --user), --action and --resource (or --dataset)');
  const extra = attributes(o.attr ?? []);
  const subjectProps: Record<string, string | string[]> = { ...bagProps(extra.subject) } as Record<string, string | string[]>;
  if (o.group && o.group.length > 0) subjectProps[V.group] = o.group;
  if (o.role && o.role.length > 0) subjectProps[V.role] = o.role;
  const resourceProps: Record<string, string | string[]> = { ...bagProps(extra.resource) } as Record<string, string | string[]>;
  if (o.dataset !== undefined) resourceProps[V.resourceType] = 'dataset';
  const env: Record<string, string | string[]> = { ...bagProps(extra.environment) } as Record<string, string | string[]>;
  if (o.purpose !== undefined) env[V.purpose] = o.purpose;
  return {
    subject: { id: subjectId, properties: subjectProps },
    action: { name: o.action, properties: bagProps(extra.action) },
    resource: { id: resourceId, properties: resourceProps },
    ...(Object.keys(env).length > 0 ? { environment: env } : {}),
  };
}

export async function decideAction(io: Io, ref: string, o: DecideFlags, cmd: Command): Promise<void> {
  const ctx = contextOf(io, cmd);
  if (o.format !== undefined && !(REQUEST_FORMATS as readonly string[]).includes(o.format)) throw new CliError('usage', `--format: one of ${REQUEST_FORMATS.join(', ')}`);
  let request: PepRequest;
  let format: RequestFormat = (o.format as RequestFormat | undefined) ?? 'xacml-json';
  if (o.file !== undefined) {
    const text = readText(o.file, io.cwd);
    const fileFormat = guessFormat(o.file, text);
    request = fromRaw(fileFormat, text);
    if (o.format === undefined) format = fileFormat;
  } else {
    request = requestFromFlags(o);
  }
  const pdpUrl = o.pdpUrl ?? (await resolveDomain(ctx, ref)).pdpUrl;
  const client = pdpClient(pdpUrl, ctx.conn().apiKey, format, ctx.timeoutMs);
  try {
    const r = await client.decide(request);
    const observed = observedOf(r);
    if (observed.error !== undefined) throw new CliError(r.cause?.code === 'unauthorized' ? 'auth' : r.cause?.code === 'rejected' || r.cause?.code === 'invalid-request' ? 'bad-input' : 'unreachable', observed.error, { cause: r.cause });
    const data = { decision: r.decision, enforced: r.enforced, status: r.status, obligations: r.obligations, advice: r.advice, transactionId: r.transactionId, format, ...(r.cause ? { cause: r.cause } : {}) };
    ctx.out.result(data, () => {
      const colour = r.decision === 'Permit' ? 'green' : r.decision === 'Deny' ? 'red' : 'yellow';
      return [
        `${ctx.out.paint(colour, r.decision)}  (transaction ${r.transactionId ?? '-'}, ${format})`,
        ...(r.status.code.endsWith(':ok') ? [] : [`status: ${r.status.code}${r.status.message ? ` ${r.status.message}` : ''}`]),
        ...r.obligations.map((ob) => `obligation ${ob.id}${ob.assignments.map((a) => ` ${a.attributeId}=${a.value}`).join('')}`),
        ...r.advice.map((ad) => `advice ${ad.id}`),
        ...(r.cause && r.decision === 'Permit' ? [`a PEP would deny: ${r.cause.code}: ${r.cause.message}`] : []),
      ].join('\n');
    });
  } finally {
    await client.close();
  }
}
