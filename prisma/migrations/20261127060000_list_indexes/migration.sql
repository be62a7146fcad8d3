-- DropIndex
DROP INDEX "User_instituteId_idx";

-- DropIndex
DROP INDEX "WorkspaceTask_assigneeId_status_idx";

-- CreateIndex
CREATE INDEX "User_instituteId_displayName_idx" ON "User"("instituteId", "displayName");

-- CreateIndex
CREATE INDEX "User_displayName_idx" ON "User"("displayName");

-- CreateIndex
CREATE INDEX "Posting_hostInstituteId_createdAt_idx" ON "Posting"("hostInstituteId", "createdAt");

-- CreateIndex
CREATE INDEX "Application_updatedAt_idx" ON "Application"("updatedAt");

-- CreateIndex
CREATE INDEX "WorkspaceTask_workspaceId_dueOn_createdAt_idx" ON "WorkspaceTask"("workspaceId", "dueOn", "createdAt");

-- CreateIndex
CREATE INDEX "WorkspaceTask_assigneeId_dueOn_createdAt_idx" ON "WorkspaceTask"("assigneeId", "dueOn", "createdAt");

