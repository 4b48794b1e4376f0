-- AlterTable
ALTER TABLE "PdpConfig" ADD COLUMN     "logRetentionDays" INTEGER;

-- AlterTable
ALTER TABLE "DecisionLog" ADD COLUMN     "hash" TEXT,
ADD COLUMN     "seq" INTEGER;

-- CreateTable
CREATE TABLE "DecisionLogChain" (
    "domainId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DecisionLogChain_pkey" PRIMARY KEY ("domainId")
);

-- CreateTable
CREATE TABLE "DecisionLogCheckpoint" (
    "domainId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "time" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "DecisionLogCheckpoint_pkey" PRIMARY KEY ("domainId","seq")
);

-- CreateTable
CREATE TABLE "ServerSecret" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServerSecret_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "DecisionLog_domainId_seq_key" ON "DecisionLog"("domainId", "seq");

-- AddForeignKey
ALTER TABLE "DecisionLogChain" ADD CONSTRAINT "DecisionLogChain_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DecisionLogCheckpoint" ADD CONSTRAINT "DecisionLogCheckpoint_domainId_fkey" FOREIGN KEY ("domainId") REFERENCES "Domain"("id") ON DELETE CASCADE ON UPDATE CASCADE;

