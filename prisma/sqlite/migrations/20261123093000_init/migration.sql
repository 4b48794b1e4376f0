-- CreateTable
CREATE TABLE "Principal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "roles" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "principalId" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "label" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    CONSTRAINT "ApiKey_principalId_fkey" FOREIGN KEY ("principalId") REFERENCES "Principal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "ownerId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Project_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Principal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProjectCollaborator" (
    "projectId" TEXT NOT NULL,
    "principalId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("projectId", "principalId"),
    CONSTRAINT "ProjectCollaborator_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProjectCollaborator_principalId_fkey" FOREIGN KEY ("principalId") REFERENCES "Principal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Domain" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "pdpId" TEXT NOT NULL,
    "publicPdp" BOOLEAN NOT NULL DEFAULT false,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "activeDeploymentId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Domain_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DomainController" (
    "domainId" TEXT NOT NULL,
    "principalId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("domainId", "principalId"),
    CONSTRAINT "DomainController_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DomainController_principalId_fkey" FOREIGN KEY ("principalId") REFERENCES "Principal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PdpConfig" (
    "domainId" TEXT NOT NULL PRIMARY KEY,
    "rootCombiningAlgorithm" TEXT NOT NULL,
    "rootPolicyIds" TEXT NOT NULL DEFAULT '[]',
    "returnPolicyIdList" BOOLEAN NOT NULL DEFAULT false,
    "xpath" BOOLEAN NOT NULL DEFAULT true,
    "evaluationTimeoutMs" INTEGER NOT NULL DEFAULT 5000,
    "logDetail" TEXT NOT NULL DEFAULT 'decision',
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PdpConfig_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PolicyVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "domainId" TEXT NOT NULL,
    "policyId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sortKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    CONSTRAINT "PolicyVersion_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Deployment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "domainId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    CONSTRAINT "Deployment_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeploymentEntry" (
    "deploymentId" TEXT NOT NULL,
    "policyVersionId" TEXT NOT NULL,

    PRIMARY KEY ("deploymentId", "policyVersionId"),
    CONSTRAINT "DeploymentEntry_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "Deployment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DeploymentEntry_policyVersionId_fkey" FOREIGN KEY ("policyVersionId") REFERENCES "PolicyVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Service" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "functionUrn" TEXT,
    "providerId" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "descriptor" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "registeredById" TEXT NOT NULL,
    "domainId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Service_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ContextHandler" (
    "domainId" TEXT NOT NULL,
    "principalId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("domainId", "principalId"),
    CONSTRAINT "ContextHandler_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContextHandler_principalId_fkey" FOREIGN KEY ("principalId") REFERENCES "Principal" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ContextHandler_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PipAttribute" (
    "domainId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "attributeId" TEXT NOT NULL,
    "datatype" TEXT NOT NULL,
    "values" TEXT NOT NULL,

    PRIMARY KEY ("domainId", "category", "entityId", "attributeId"),
    CONSTRAINT "PipAttribute_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DecisionLog" (
    "txId" TEXT NOT NULL PRIMARY KEY,
    "domainId" TEXT NOT NULL,
    "time" DATETIME NOT NULL,
    "callerId" TEXT,
    "format" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "statusCode" TEXT NOT NULL,
    "request" TEXT,
    "response" TEXT,
    "obligations" TEXT NOT NULL DEFAULT '[]',
    "policies" TEXT NOT NULL DEFAULT '[]',
    "calls" TEXT NOT NULL DEFAULT '[]',
    "durationMs" REAL NOT NULL,
    "trace" TEXT,
    "testedBy" TEXT,
    CONSTRAINT "DecisionLog_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChangeEvent" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "domainId" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Principal_name_key" ON "Principal"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_hash_key" ON "ApiKey"("hash");

-- CreateIndex
CREATE INDEX "ApiKey_principalId_idx" ON "ApiKey"("principalId");

-- CreateIndex
CREATE UNIQUE INDEX "Project_ownerId_name_key" ON "Project"("ownerId", "name");

-- CreateIndex
CREATE INDEX "ProjectCollaborator_principalId_idx" ON "ProjectCollaborator"("principalId");

-- CreateIndex
CREATE UNIQUE INDEX "Domain_pdpId_key" ON "Domain"("pdpId");

-- CreateIndex
CREATE UNIQUE INDEX "Domain_projectId_name_key" ON "Domain"("projectId", "name");

-- CreateIndex
CREATE INDEX "DomainController_principalId_idx" ON "DomainController"("principalId");

-- CreateIndex
CREATE INDEX "PolicyVersion_domainId_policyId_idx" ON "PolicyVersion"("domainId", "policyId");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyVersion_domainId_policyId_version_key" ON "PolicyVersion"("domainId", "policyId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Deployment_domainId_number_key" ON "Deployment"("domainId", "number");

-- CreateIndex
CREATE INDEX "DeploymentEntry_policyVersionId_idx" ON "DeploymentEntry"("policyVersionId");

-- CreateIndex
CREATE UNIQUE INDEX "Service_domainId_key" ON "Service"("domainId");

-- CreateIndex
CREATE INDEX "Service_type_idx" ON "Service"("type");

-- CreateIndex
CREATE INDEX "Service_functionUrn_idx" ON "Service"("functionUrn");

-- CreateIndex
CREATE INDEX "DecisionLog_domainId_time_idx" ON "DecisionLog"("domainId", "time");

