/**
 * Read-modify-write of a generated policy under the domain's lock (see ManagedPolicyRepository).
 * PostgreSQL: `SELECT … FOR UPDATE` on the domain row makes every writer on every replica wait
 * for the one before, so each reads the version the previous one committed. SQLite: the driver
 * adapter runs one transaction at a time. Deadlocks and unique-key races with other PAP writers
 * (which do not take the lock first) are retried a few times.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/open-database';
import type { DatabaseProvider } from '../../db/database-url';
import { ApiError } from '../../errors/api-error';
import type { ManagedPolicyRepository } from '../ports';
import { appendChange } from './change-events';
import { toConfig } from './domain-repository';
import { deploymentInclude, toDeployment, toVersion, versionSortKey } from './policy-repository';

const ATTEMPTS = 5;

/** PostgreSQL deadlock / serialization failure, or a unique-key race (Prisma P2002). */
function retryable(e: unknown): boolean {
  const text = e instanceof Error ? `${e.message} ${String((e as { code?: unknown }).code ?? '')}` : String(e);
  return /P2002|40P01|40001|deadlock detected|could not serialize/i.test(text);
}

export function prismaManagedPolicyRepository(db: Db, provider: DatabaseProvider): ManagedPolicyRepository {
  const once: ManagedPolicyRepository['change'] = (domainId, policyId, by, change) =>
    db.$transaction(
      async (tx) => {
        if (provider === 'postgresql') await tx.$queryRaw`SELECT "id" FROM "Domain" WHERE "id" = ${domainId} FOR UPDATE`;
        const domain = await tx.domain.findUnique({ where: { id: domainId }, select: { activeDeploymentId: true, config: true } });
        if (!domain?.config) throw new ApiError('not-found', 'domain not found');
        const entries = domain.activeDeploymentId ? await tx.deploymentEntry.findMany({ where: { deploymentId: domain.activeDeploymentId }, include: { policyVersion: true } }) : [];
        const active = entries.map((e) => toVersion(e.policyVersion)).sort((a, b) => a.policyId.localeCompare(b.policyId));
        const latest = await tx.policyVersion.findFirst({ where: { domainId, policyId }, orderBy: { sortKey: 'desc' }, select: { version: true } });
        const version = change({ config: toConfig(domain.config), active, latestVersion: latest?.version ?? null });
        if (version === null) return null;
        await tx.policyVersion.create({ data: { ...version, domainId, sortKey: versionSortKey(version.version), createdBy: by } });
        const activeIds = [...active.filter((v) => v.policyId !== policyId).map((v) => v.id), version.id];
        const last = await tx.deployment.findFirst({ where: { domainId }, orderBy: { number: 'desc' }, select: { number: true } });
        const id = randomUUID();
        await tx.deployment.create({
          data: { id, domainId, number: (last?.number ?? 0) + 1, reason: 'upload', createdBy: by, entries: { create: activeIds.map((policyVersionId) => ({ policyVersionId })) } },
        });
        await tx.domain.update({ where: { id: domainId }, data: { activeDeploymentId: id, revision: { increment: 1 } } });
        await appendChange(tx, provider, domainId);
        const row = await tx.deployment.findUniqueOrThrow({ where: { id }, include: deploymentInclude });
        const { versionIds: _ids, ...deployment } = toDeployment(row, id);
        return { version, deployment };
      },
      // Writers queue on the lock: give the queue time (20 parallel grants wait for each other).
      { maxWait: 30_000, timeout: 30_000 },
    );
  return {
    change: async (domainId, policyId, by, change) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(domainId, policyId, by, change);
        } catch (e) {
          if (attempt >= ATTEMPTS || !retryable(e)) throw e;
          await new Promise((r) => setTimeout(r, 10 * attempt + Math.floor(Math.random() * 20)));
        }
      }
    },
  };
}
