-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "method" TEXT NOT NULL DEFAULT 'password',
ADD COLUMN     "phishingResistant" BOOLEAN NOT NULL DEFAULT false;

