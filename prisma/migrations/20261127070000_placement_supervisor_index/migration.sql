-- CreateIndex
CREATE INDEX "Placement_hostSupervisorId_idx" ON "Placement"("hostSupervisorId");

