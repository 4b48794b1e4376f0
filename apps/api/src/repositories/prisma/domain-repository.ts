/** Domains, their PDP configuration and authorised domains controllers in Prisma. */
import type { Db } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import { LOG_DETAILS } from '../ports';
import type { DomainRecord, DomainRepository, LogDetail, PdpConfigInput, PdpConfigRecord } from '../ports';
import { appendChange } from './change-events';
import { mapPrismaErrors } from './prisma-errors';
import { enforceQuota } from './quota-check';
import { LOCKING_TX, withTransientRetry } from './row-locks';
import { parseRoles } from './principal-repository';

const include = {
  project: { select: { ownerId: true, collaborators: { select: { principalId: true } } } },
  controllers: { select: { principalId: true, principal: { select: { name: true } } }, orderBy: { createdAt: 'asc' } },
} as const;

interface DomainRow {
  id: string;
  projectId: string;
  name: string;
  description: string;
  pdpId: string;
  publicPdp: boolean;
  revision: number;
  activeDeploymentId: string | null;
  createdAt: Date;
  project: { ownerId: string; collaborators: { principalId: string }[] };
  controllers: { principalId: string; principal: { name: string } }[];
}

function toRecord(row: DomainRow): DomainRecord {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    description: row.description,
    pdpId: row.pdpId,
    publicPdp: row.publicPdp,
    revision: row.revision,
    activeDeploymentId: row.activeDeploymentId,
    createdAt: row.createdAt,
    ownerId: row.project.ownerId,
    collaboratorIds: row.project.collaborators.map((c) => c.principalId),
    controllerIds: row.controllers.map((c) => c.principalId),
    controllers: row.controllers.map((c) => ({ id: c.principalId, name: c.principal.name })),
  };
}

interface ConfigRow {
  rootCombiningAlgorithm: string;
  rootPolicyIds: string;
  returnPolicyIdList: boolean;
  xpath: boolean;
  compatibilityMode: boolean;
  evaluationTimeoutMs: number;
  logDetail: string;
  logRetentionDays: number | null;
  trustedServices: string;
  updatedAt: Date;
}

export function toConfig(row: ConfigRow): PdpConfigRecord {
  const ids: unknown = JSON.parse(row.rootPolicyIds);
  return {
    rootCombiningAlgorithm: row.rootCombiningAlgorithm,
    rootPolicyIds: Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [],
    returnPolicyIdList: row.returnPolicyIdList,
    xpath: row.xpath,
    compatibilityMode: row.compatibilityMode,
    evaluationTimeoutMs: row.evaluationTimeoutMs,
    logDetail: (LOG_DETAILS as readonly string[]).includes(row.logDetail) ? (row.logDetail as LogDetail) : 'decision',
    logRetentionDays: row.logRetentionDays,
    trustedServices: stringMap(row.trustedServices),
    updatedAt: row.updatedAt,
  };
}

function stringMap(text: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The stored form of a configuration (lists and maps are JSON text). */
function configData(config: PdpConfigInput) {
  return { ...config, rootPolicyIds: JSON.stringify(config.rootPolicyIds), trustedServices: JSON.stringify(config.trustedServices) };
}

export function prismaDomainRepository(db: Db, provider: DatabaseProvider): DomainRepository {
  const reload = async (id: string): Promise<DomainRecord> => toRecord(await db.domain.findUniqueOrThrow({ where: { id }, include }));
  return {
    create: (d, config, service, quota) =>
      mapPrismaErrors(`domain "${d.name}"`, async () => {
        await withTransientRetry(() =>
          db.$transaction(async (tx) => {
            await enforceQuota(tx, provider, quota, 'domains', () => ({ adding: 1 }));
            await tx.domain.create({ data: d });
            await tx.pdpConfig.create({ data: { domainId: d.id, ...configData(config) } });
            await tx.service.create({ data: { ...service, type: 'pdp', functionUrn: null, domainId: d.id } });
            await appendChange(tx, provider, d.id);
          }, LOCKING_TX),
        );
        return reload(d.id);
      }),
    findById: async (id) => {
      const row = await db.domain.findUnique({ where: { id }, include });
      return row ? toRecord(row) : null;
    },
    findByPdpId: async (pdpId) => {
      const row = await db.domain.findUnique({ where: { pdpId }, include });
      return row ? toRecord(row) : null;
    },
    listByProject: async (projectId) => (await db.domain.findMany({ where: { projectId }, include, orderBy: { createdAt: 'asc' } })).map(toRecord),
    update: (id, patch) =>
      mapPrismaErrors('domain', async () => {
        await db.$transaction(async (tx) => {
          await tx.domain.update({ where: { id }, data: { ...patch, revision: { increment: 1 } } });
          await appendChange(tx, provider, id);
        });
        return reload(id);
      }),
    delete: (id) =>
      mapPrismaErrors('domain', () =>
        db.$transaction(async (tx) => {
          await tx.service.deleteMany({ where: { domainId: id } });
          await tx.domain.delete({ where: { id } });
          await appendChange(tx, provider, id);
        }),
      ),
    addController: (domainId, principalId) =>
      mapPrismaErrors('domains controller', () =>
        db.$transaction(async (tx) => {
          await tx.domainController.upsert({ where: { domainId_principalId: { domainId, principalId } }, create: { domainId, principalId }, update: {} });
          await appendChange(tx, provider, domainId);
        }),
      ),
    createController: (domainId, p, key) =>
      mapPrismaErrors(`principal "${p.name}"`, () =>
        db.$transaction(async (tx) => {
          const row = await tx.principal.create({
            data: { id: p.id, name: p.name, roles: [...new Set(p.roles)].join(' '), apiKeys: { create: [{ id: key.id, prefix: key.prefix, hash: key.hash, label: key.label }] } },
          });
          await tx.domainController.create({ data: { domainId, principalId: p.id } });
          await appendChange(tx, provider, domainId);
          return { id: row.id, name: row.name, roles: parseRoles(row.roles), createdAt: row.createdAt };
        }),
      ),
    removeController: (domainId, principalId) =>
      db.$transaction(async (tx) => {
        const n = await tx.domainController.deleteMany({ where: { domainId, principalId } });
        await appendChange(tx, provider, domainId);
        return n.count > 0;
      }),
    getConfig: async (domainId) => {
      const row = await db.pdpConfig.findUnique({ where: { domainId } });
      return row ? toConfig(row) : null;
    },
    updateConfig: (domainId, config) =>
      mapPrismaErrors('PDP configuration', () =>
        db.$transaction(async (tx) => {
          const row = await tx.pdpConfig.update({ where: { domainId }, data: configData(config) });
          await tx.domain.update({ where: { id: domainId }, data: { revision: { increment: 1 } } });
          await appendChange(tx, provider, domainId);
          return toConfig(row);
        }),
      ),
  };
}
