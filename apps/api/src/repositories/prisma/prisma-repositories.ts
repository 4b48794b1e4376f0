/** All repositories over one opened database. */
import type { Database } from '../../db/open-database';
import type { Repositories } from '../ports';
import { prismaAuditRepository } from './audit-repository';
import { prismaChangeFeedRepository } from './change-feed-repository';
import { prismaContextHandlerRepository } from './context-handler-repository';
import { prismaDecisionChainRepository } from './decision-chain-repository';
import { prismaDecisionLogRepository } from './decision-log-repository';
import { prismaDomainRepository } from './domain-repository';
import { prismaGuestRepository } from './guest-repository';
import { prismaManagedPolicyRepository } from './managed-policy-repository';
import { prismaPipRepository } from './pip-repository';
import { prismaPolicyRepository } from './policy-repository';
import { prismaPrincipalRepository } from './principal-repository';
import { prismaProjectRepository } from './project-repository';
import { prismaServiceRepository } from './service-repository';

export function prismaRepositories(database: Database): Repositories {
  const db = database.prisma;
  return {
    principals: prismaPrincipalRepository(db, database.provider),
    projects: prismaProjectRepository(db, database.provider),
    domains: prismaDomainRepository(db, database.provider),
    policies: prismaPolicyRepository(db, database.provider),
    services: prismaServiceRepository(db, database.provider),
    contextHandlers: prismaContextHandlerRepository(db),
    pip: prismaPipRepository(db, database.provider),
    decisions: prismaDecisionLogRepository(db, database.provider),
    decisionChain: prismaDecisionChainRepository(db, database.provider),
    changes: prismaChangeFeedRepository(db),
    guests: prismaGuestRepository(db, database.provider),
    managedPolicies: prismaManagedPolicyRepository(db, database.provider),
    audit: prismaAuditRepository(db),
    ping: async () => void (await db.$queryRaw`SELECT 1`),
  };
}
