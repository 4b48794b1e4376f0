-- AlterTable
ALTER TABLE "PdpConfig" ADD COLUMN     "trustedServices" TEXT NOT NULL DEFAULT '{}';
