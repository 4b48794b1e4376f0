-- AlterTable
ALTER TABLE "PdpConfig" ADD COLUMN "compatibilityMode" BOOLEAN NOT NULL DEFAULT false;
