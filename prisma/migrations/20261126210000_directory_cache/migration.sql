-- CreateTable
CREATE TABLE "DirectoryState" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DirectoryState_pkey" PRIMARY KEY ("id")
);


-- The single row the directory's search cache keys on (see app/modules/directory/search-cache.server.ts).
INSERT INTO "DirectoryState" ("id", "version") VALUES (1, 0);

-- Raised in the writing transaction, so the new value becomes visible together with the change
-- itself: a search that reads the new value also reads the new data.
CREATE FUNCTION "directory_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "DirectoryState" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Profile_directory_changed"
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Profile"
  FOR EACH STATEMENT EXECUTE FUNCTION "directory_changed"();

-- Only the columns a search reads (sign-ins and role changes do not invalidate searches).
CREATE TRIGGER "User_directory_changed"
  AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF "displayName", "jobTitle", "team", "instituteId", "deactivatedAt" ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION "directory_changed"();

CREATE TRIGGER "Institute_directory_changed"
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Institute"
  FOR EACH STATEMENT EXECUTE FUNCTION "directory_changed"();

CREATE TRIGGER "ExpertiseArea_directory_changed"
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ExpertiseArea"
  FOR EACH STATEMENT EXECUTE FUNCTION "directory_changed"();
