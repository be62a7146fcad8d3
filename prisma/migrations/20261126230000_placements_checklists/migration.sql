-- CreateEnum
CREATE TYPE "ArrangementType" AS ENUM ('US_IPA_ASSIGNMENT', 'UK_LOAN', 'UK_SECONDMENT', 'OTHER');

-- CreateEnum
CREATE TYPE "CostArrangement" AS ENUM ('HOME_PAYS', 'HOST_PAYS', 'SHARED');

-- CreateEnum
CREATE TYPE "OwnerSide" AS ENUM ('HOME', 'HOST', 'SECONDEE');

-- CreateEnum
CREATE TYPE "EvidenceKind" AS ENUM ('ATTESTATION', 'DOCUMENT');

-- CreateEnum
CREATE TYPE "ChecklistItemStatus" AS ENUM ('TODO', 'IN_PROGRESS', 'DONE', 'WAIVED');

-- AlterTable
ALTER TABLE "Placement" ADD COLUMN     "arrangementType" "ArrangementType" NOT NULL DEFAULT 'OTHER',
ADD COLUMN     "costArrangement" "CostArrangement" NOT NULL DEFAULT 'HOME_PAYS',
ADD COLUMN     "hostSupervisorId" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "PlacementExtension" (
    "id" TEXT NOT NULL,
    "placementId" TEXT NOT NULL,
    "previousEnd" DATE,
    "newEnd" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlacementExtension_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChecklistTemplate" (
    "id" TEXT NOT NULL,
    "hostInstituteId" TEXT NOT NULL,
    "homeInstituteId" TEXT,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChecklistTemplate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChecklistTemplateItem" (
    "id" TEXT NOT NULL,
    "templateId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "guidance" TEXT NOT NULL DEFAULT '',
    "ownerSide" "OwnerSide" NOT NULL,
    "dueOffsetDays" INTEGER NOT NULL,
    "required" BOOLEAN NOT NULL DEFAULT true,
    "evidenceKind" "EvidenceKind" NOT NULL,
    "dependsOnIds" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "ChecklistTemplateItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChecklistItem" (
    "id" TEXT NOT NULL,
    "placementId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "guidance" TEXT NOT NULL DEFAULT '',
    "ownerSide" "OwnerSide" NOT NULL,
    "dueOffsetDays" INTEGER NOT NULL,
    "required" BOOLEAN NOT NULL DEFAULT true,
    "evidenceKind" "EvidenceKind" NOT NULL,
    "dependsOnIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "ChecklistItemStatus" NOT NULL DEFAULT 'TODO',
    "version" INTEGER NOT NULL DEFAULT 0,
    "verifiedBy" TEXT NOT NULL DEFAULT '',
    "verifiedOn" DATE,
    "reference" TEXT NOT NULL DEFAULT '',
    "level" TEXT NOT NULL DEFAULT '',
    "expiresOn" DATE,
    "evidenceFileId" TEXT,
    "waivedReason" TEXT NOT NULL DEFAULT '',
    "completedById" TEXT,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChecklistItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PlacementExtension_placementId_idx" ON "PlacementExtension"("placementId");

-- CreateIndex
CREATE UNIQUE INDEX "ChecklistTemplate_hostInstituteId_name_key" ON "ChecklistTemplate"("hostInstituteId", "name");

-- CreateIndex
CREATE INDEX "ChecklistTemplateItem_templateId_position_idx" ON "ChecklistTemplateItem"("templateId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "ChecklistItem_evidenceFileId_key" ON "ChecklistItem"("evidenceFileId");

-- CreateIndex
CREATE INDEX "ChecklistItem_placementId_position_idx" ON "ChecklistItem"("placementId", "position");

-- CreateIndex
CREATE INDEX "ChecklistItem_status_idx" ON "ChecklistItem"("status");

-- CreateIndex
CREATE INDEX "Placement_hostInstituteId_status_idx" ON "Placement"("hostInstituteId", "status");

-- CreateIndex
CREATE INDEX "Placement_homeInstituteId_status_idx" ON "Placement"("homeInstituteId", "status");

-- AddForeignKey
ALTER TABLE "Placement" ADD CONSTRAINT "Placement_hostSupervisorId_fkey" FOREIGN KEY ("hostSupervisorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlacementExtension" ADD CONSTRAINT "PlacementExtension_placementId_fkey" FOREIGN KEY ("placementId") REFERENCES "Placement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistTemplateItem" ADD CONSTRAINT "ChecklistTemplateItem_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "ChecklistTemplate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_placementId_fkey" FOREIGN KEY ("placementId") REFERENCES "Placement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_evidenceFileId_fkey" FOREIGN KEY ("evidenceFileId") REFERENCES "StoredFile"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Guards the services check too.
ALTER TABLE "ChecklistTemplateItem" ADD CONSTRAINT "ChecklistTemplateItem_offset_check" CHECK ("dueOffsetDays" BETWEEN -365 AND 365);
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_offset_check" CHECK ("dueOffsetDays" BETWEEN -365 AND 365);
ALTER TABLE "ChecklistItem" ADD CONSTRAINT "ChecklistItem_waiver_reason_check" CHECK ("status" <> 'WAIVED' OR length("waivedReason") > 0);
