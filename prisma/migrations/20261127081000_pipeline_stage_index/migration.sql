-- DropIndex
DROP INDEX "Application_postingId_status_idx";

-- CreateIndex
CREATE INDEX "Application_postingId_status_submittedAt_idx" ON "Application"("postingId", "status", "submittedAt");

