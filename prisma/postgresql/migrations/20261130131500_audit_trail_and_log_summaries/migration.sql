-- AlterTable
ALTER TABLE "DecisionLog" ADD COLUMN     "action" TEXT,
ADD COLUMN     "resource" TEXT,
ADD COLUMN     "subject" TEXT;

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL,
    "txId" TEXT NOT NULL,
    "time" TIMESTAMP(3) NOT NULL,
    "actorId" TEXT,
    "actorName" TEXT,
    "action" TEXT NOT NULL,
    "projectId" TEXT,
    "domainId" TEXT,
    "resourceType" TEXT NOT NULL,
    "resourceId" TEXT,
    "summary" TEXT NOT NULL DEFAULT '',
    "details" TEXT,
    "outcome" TEXT NOT NULL,
    "status" INTEGER,
    "errorCode" TEXT,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEntry_txId_key" ON "AuditEntry"("txId");

-- CreateIndex
CREATE INDEX "AuditEntry_time_idx" ON "AuditEntry"("time");

-- CreateIndex
CREATE INDEX "AuditEntry_projectId_time_idx" ON "AuditEntry"("projectId", "time");

-- CreateIndex
CREATE INDEX "AuditEntry_domainId_time_idx" ON "AuditEntry"("domainId", "time");

-- CreateIndex
CREATE INDEX "AuditEntry_actorId_time_idx" ON "AuditEntry"("actorId", "time");

