-- AlterTable
ALTER TABLE "OutboxEmail" ADD COLUMN     "sendStartedAt" TIMESTAMP(3);

