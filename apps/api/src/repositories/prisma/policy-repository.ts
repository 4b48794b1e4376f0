/** Immutable policy versions and deployments (the active sets) in Prisma. */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import { ApiError } from '../../errors/api-error';
import { ACTIVE_SET_CHANGED, DEPLOYMENT_REASONS } from '../ports';
import type { DeploymentReason, DeploymentRecord, PolicyKind, PolicyRepository, PolicyVersionRecord, PolicyVersionSummary } from '../ports';
import { appendChange } from './change-events';
import { mapPrismaErrors } from './prisma-errors';
import { enforceQuota } from './quota-check';
import { LOCKING_TX, lockDomain, withTransientRetry } from './row-locks';

/** XACML versions are dotted integers; zero-padding makes them sort as text. */
export function versionSortKey(version: string): string {
  return version
    .split('.')
    .map((p) => p.padStart(10, '0'))
    .join('.');
}

interface VersionRow {
  id: string;
  domainId: string;
  policyId: string;
  version: string;
  kind: string;
  text: string;
  createdAt: Date;
  createdBy: string;
}

const kindOf = (k: string): PolicyKind => (k === 'PolicySet' ? 'PolicySet' : 'Policy');

export function toVersion(row: VersionRow): PolicyVersionRecord {
  return { id: row.id, domainId: row.domainId, policyId: row.policyId, version: row.version, kind: kindOf(row.kind), text: row.text, createdAt: row.createdAt, createdBy: row.createdBy };
}

const summarySelect = { id: true, domainId: true, policyId: true, version: true, kind: true, createdAt: true, createdBy: true } as const;

function toSummary(row: Omit<VersionRow, 'text'>): PolicyVersionSummary {
  return { id: row.id, domainId: row.domainId, policyId: row.policyId, version: row.version, kind: kindOf(row.kind), createdAt: row.createdAt, createdBy: row.createdBy };
}

interface DeploymentRow {
  id: string;
  number: number;
  reason: string;
  createdAt: Date;
  createdBy: string;
  // Null when the version was deleted between Prisma's reads of an include (no shared snapshot).
  entries: { policyVersion: { id: string; policyId: string; version: string } | null }[];
}

export const deploymentInclude = { entries: { include: { policyVersion: { select: { id: true, policyId: true, version: true } } } } } as const;

export function toDeployment(row: DeploymentRow, activeId: string | null): DeploymentRecord & { versionIds: string[] } {
  const reason = (DEPLOYMENT_REASONS as readonly string[]).includes(row.reason) ? (row.reason as DeploymentReason) : 'upload';
  const entries = row.entries.flatMap((e) => (e.policyVersion ? [{ policyVersion: e.policyVersion }] : [])).sort((a, b) => a.policyVersion.policyId.localeCompare(b.policyVersion.policyId));
  return {
    id: row.id,
    number: row.number,
    reason,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    active: row.id === activeId,
    policies: entries.map((e) => ({ policyId: e.policyVersion.policyId, version: e.policyVersion.version })),
    versionIds: entries.map((e) => e.policyVersion.id),
  };
}

export function prismaPolicyRepository(db: Db, provider: DatabaseProvider): PolicyRepository {
  return {
    activeSet: async (domainId) => {
      const d = await db.domain.findUnique({ where: { id: domainId }, select: { activeDeploymentId: true } });
      if (!d?.activeDeploymentId) return [];
      const entries = await db.deploymentEntry.findMany({ where: { deploymentId: d.activeDeploymentId }, include: { policyVersion: true } });
      return entries.map((e) => toVersion(e.policyVersion)).sort((a, b) => a.policyId.localeCompare(b.policyId));
    },
    activeSnapshot: async (domainId) => {
      const d = await db.domain.findUnique({ where: { id: domainId }, select: { activeDeploymentId: true } });
      if (!d?.activeDeploymentId) return { deploymentId: null, versions: [] };
      const entries = await db.deploymentEntry.findMany({ where: { deploymentId: d.activeDeploymentId }, include: { policyVersion: true } });
      return { deploymentId: d.activeDeploymentId, versions: entries.map((e) => toVersion(e.policyVersion)).sort((a, b) => a.policyId.localeCompare(b.policyId)) };
    },
    listVersions: async (domainId, policyId) =>
      (
        await db.policyVersion.findMany({
          where: policyId === undefined ? { domainId } : { domainId, policyId },
          select: summarySelect,
          orderBy: [{ policyId: 'asc' }, { sortKey: 'asc' }],
        })
      ).map(toSummary),
    findVersion: async (domainId, policyId, version) => {
      const row = await db.policyVersion.findUnique({ where: { domainId_policyId_version: { domainId, policyId, version } } });
      return row ? toVersion(row) : null;
    },
    findLatest: async (domainId, policyId) => {
      const row = await db.policyVersion.findFirst({ where: { domainId, policyId }, orderBy: { sortKey: 'desc' } });
      return row ? toVersion(row) : null;
    },
    publish: (domainId, input) =>
      withTransientRetry(() =>
        mapPrismaErrors('policy version', () =>
          db.$transaction(async (tx) => {
            // Every PAP writer of the domain queues here: deployment numbers and the
            // expected-active check are then read from what the previous writer committed.
            await lockDomain(tx, provider, domainId);
            const now = await tx.domain.findUnique({ where: { id: domainId }, select: { activeDeploymentId: true } });
            if (!now) throw new ApiError('not-found', 'domain not found');
            if (input.expectedActiveDeploymentId !== undefined && (now.activeDeploymentId ?? null) !== input.expectedActiveDeploymentId) {
              throw new ApiError('conflict', "the domain's active policies changed while this change was prepared (a concurrent deploy or rights change): nothing was stored, try again", { reason: ACTIVE_SET_CHANGED });
            }
            for (const v of input.newVersions) {
              if (await tx.policyVersion.findUnique({ where: { domainId_policyId_version: { domainId, policyId: v.policyId, version: v.version } }, select: { id: true } })) {
                throw new ApiError('conflict', `policy ${v.policyId} version ${v.version} already exists: raise its Version`, { policyId: v.policyId, version: v.version });
              }
            }
            await enforceQuota(tx, provider, input.quota, 'policyVersions', () => ({ adding: input.newVersions.length }));
            for (const v of input.newVersions) {
              await tx.policyVersion.create({ data: { ...v, domainId, sortKey: versionSortKey(v.version), createdBy: input.by } });
            }
            if (input.activeVersionIds === undefined) return null;
            const present = await tx.policyVersion.count({ where: { domainId, id: { in: [...input.activeVersionIds] } } });
            if (present !== new Set(input.activeVersionIds).size) {
              throw new ApiError('conflict', 'a policy version of this change was deleted meanwhile: nothing was stored, try again', { reason: ACTIVE_SET_CHANGED });
            }
            const last = await tx.deployment.findFirst({ where: { domainId }, orderBy: { number: 'desc' }, select: { number: true } });
            const id = randomUUID();
            await tx.deployment.create({
              data: { id, domainId, number: (last?.number ?? 0) + 1, reason: input.reason, createdBy: input.by, entries: { create: input.activeVersionIds.map((policyVersionId) => ({ policyVersionId })) } },
            });
            await tx.domain.update({ where: { id: domainId }, data: { activeDeploymentId: id, revision: { increment: 1 } } });
            await appendChange(tx, provider, domainId);
            const row = await tx.deployment.findUniqueOrThrow({ where: { id }, include: deploymentInclude });
            return toDeployment(row, id);
          }, LOCKING_TX),
        ),
      ),
    listDeployments: async (domainId) => {
      const d = await db.domain.findUnique({ where: { id: domainId }, select: { activeDeploymentId: true } });
      const rows = await db.deployment.findMany({ where: { domainId }, include: deploymentInclude, orderBy: { number: 'desc' } });
      return rows.map((r) => {
        const { versionIds: _omit, ...rest } = toDeployment(r, d?.activeDeploymentId ?? null);
        return rest;
      });
    },
    findDeployment: async (domainId, number) => {
      const d = await db.domain.findUnique({ where: { id: domainId }, select: { activeDeploymentId: true } });
      const row = await db.deployment.findUnique({ where: { domainId_number: { domainId, number } }, include: deploymentInclude });
      return row ? toDeployment(row, d?.activeDeploymentId ?? null) : null;
    },
    deleteVersion: (domainId, versionId) =>
      withTransientRetry(() =>
        db.$transaction(async (tx) => {
          await lockDomain(tx, provider, domainId);
          const d = await tx.domain.findUnique({ where: { id: domainId }, select: { activeDeploymentId: true } });
          if (!d) throw new ApiError('not-found', 'domain not found');
          if (d.activeDeploymentId) {
            const inActive = await tx.deploymentEntry.count({ where: { deploymentId: d.activeDeploymentId, policyVersionId: versionId } });
            if (inActive > 0) throw new ApiError('conflict', 'the version is in the active set: activate another version or delete the policy from the active set first');
          }
          const holders = await tx.deploymentEntry.findMany({ where: { policyVersionId: versionId }, select: { deploymentId: true } });
          await tx.deployment.deleteMany({ where: { id: { in: holders.map((h) => h.deploymentId) } } });
          const gone = await tx.policyVersion.deleteMany({ where: { id: versionId } });
          if (gone.count === 0) throw new ApiError('not-found', 'policy version not found');
        }, LOCKING_TX),
      ),
  };
}
