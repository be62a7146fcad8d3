-- CreateEnum
CREATE TYPE "Visibility" AS ENUM ('PRIVATE', 'INSTITUTE', 'PARTNERS');

-- CreateTable
CREATE TABLE "ExpertiseArea" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "retiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExpertiseArea_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Profile" (
    "userId" TEXT NOT NULL,
    "bio" TEXT NOT NULL DEFAULT '',
    "bioVisibility" "Visibility" NOT NULL DEFAULT 'PARTNERS',
    "expertiseIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "expertiseLabels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "expertiseVisibility" "Visibility" NOT NULL DEFAULT 'PARTNERS',
    "skills" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "skillsVisibility" "Visibility" NOT NULL DEFAULT 'PARTNERS',
    "publications" TEXT NOT NULL DEFAULT '',
    "publicationsVisibility" "Visibility" NOT NULL DEFAULT 'PARTNERS',
    "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "languagesVisibility" "Visibility" NOT NULL DEFAULT 'PARTNERS',
    "location" TEXT NOT NULL DEFAULT '',
    "locationVisibility" "Visibility" NOT NULL DEFAULT 'INSTITUTE',
    "openToSecondment" BOOLEAN NOT NULL DEFAULT false,
    "openToCollaboration" BOOLEAN NOT NULL DEFAULT false,
    "availabilityVisibility" "Visibility" NOT NULL DEFAULT 'PARTNERS',
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "searchPartners" tsvector,
    "searchInstitute" tsvector,
    "searchPrivate" tsvector,

    CONSTRAINT "Profile_pkey" PRIMARY KEY ("userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ExpertiseArea_name_key" ON "ExpertiseArea"("name");

-- AddForeignKey
ALTER TABLE "Profile" ADD CONSTRAINT "Profile_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Directory search ------------------------------------------------------------------------------
-- Each profile carries three search documents, one per visibility tier, so a viewer is only ever
-- matched (and ranked) against the fields they may see. A trigger keeps them current.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION "visibility_rank"(v "Visibility") RETURNS int LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE v WHEN 'PARTNERS' THEN 1 WHEN 'INSTITUTE' THEN 2 ELSE 3 END
$$;

-- tier 1: a partner institute's view; 2: the person's own institute; 3: the person and their HR.
CREATE FUNCTION "profile_search_document"(p "Profile", tier int, name text, title text, team text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT
    setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(title, '') || ' ' || coalesce(team, '')), 'B') ||
    CASE WHEN visibility_rank(p."expertiseVisibility") <= tier
      THEN setweight(to_tsvector('english', array_to_string(p."expertiseLabels", ' ')), 'A') ELSE ''::tsvector END ||
    CASE WHEN visibility_rank(p."skillsVisibility") <= tier
      THEN setweight(to_tsvector('english', array_to_string(p."skills", ' ')), 'B') ELSE ''::tsvector END ||
    CASE WHEN visibility_rank(p."bioVisibility") <= tier
      THEN setweight(to_tsvector('english', p."bio"), 'C') ELSE ''::tsvector END ||
    CASE WHEN visibility_rank(p."publicationsVisibility") <= tier
      THEN setweight(to_tsvector('english', p."publications"), 'D') ELSE ''::tsvector END
$$;

CREATE FUNCTION "profile_search_refresh"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  u RECORD;
BEGIN
  SELECT "displayName", "jobTitle", "team" INTO u FROM "User" WHERE "id" = NEW."userId";
  NEW."searchPartners" := "profile_search_document"(NEW, 1, u."displayName", u."jobTitle", u."team");
  NEW."searchInstitute" := "profile_search_document"(NEW, 2, u."displayName", u."jobTitle", u."team");
  NEW."searchPrivate" := "profile_search_document"(NEW, 3, u."displayName", u."jobTitle", u."team");
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Profile_search_refresh" BEFORE INSERT OR UPDATE ON "Profile"
  FOR EACH ROW EXECUTE FUNCTION "profile_search_refresh"();

-- A renamed person or a new job title must be findable at once.
CREATE FUNCTION "user_profile_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Profile" SET "userId" = "userId" WHERE "userId" = NEW."id";
  RETURN NULL;
END;
$$;

CREATE TRIGGER "User_profile_touch" AFTER UPDATE OF "displayName", "jobTitle", "team" ON "User"
  FOR EACH ROW EXECUTE FUNCTION "user_profile_touch"();

CREATE INDEX "Profile_searchPartners_idx" ON "Profile" USING GIN ("searchPartners");
CREATE INDEX "Profile_searchInstitute_idx" ON "Profile" USING GIN ("searchInstitute");
CREATE INDEX "Profile_searchPrivate_idx" ON "Profile" USING GIN ("searchPrivate");
CREATE INDEX "Profile_expertiseIds_idx" ON "Profile" USING GIN ("expertiseIds");
CREATE INDEX "User_displayName_trgm_idx" ON "User" USING GIN ("displayName" gin_trgm_ops);
