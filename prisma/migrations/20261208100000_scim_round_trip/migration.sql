-- AlterTable
ALTER TABLE "User" ADD COLUMN     "scimFamilyName" TEXT,
ADD COLUMN     "scimFormattedName" TEXT,
ADD COLUMN     "scimGivenName" TEXT,
ADD COLUMN     "scimUserName" TEXT,
ADD COLUMN     "scimWorkEmail" TEXT;

