-- AlterTable
ALTER TABLE "PdpConfig" ADD COLUMN "logRetentionDays" INTEGER;

-- AlterTable
ALTER TABLE "DecisionLog" ADD COLUMN "hash" TEXT;
ALTER TABLE "DecisionLog" ADD COLUMN "seq" INTEGER;

-- CreateTable
CREATE TABLE "DecisionLogChain" (
    "domainId" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DecisionLogChain_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DecisionLogCheckpoint" (
    "domainId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "time" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    PRIMARY KEY ("domainId", "seq"),
    CONSTRAINT "DecisionLogCheckpoint_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServerSecret" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "DecisionLog_domainId_seq_key" ON "DecisionLog"("domainId", "seq");

