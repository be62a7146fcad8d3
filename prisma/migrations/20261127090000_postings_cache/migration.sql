-- CreateTable
CREATE TABLE "PostingsState" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "PostingsState_pkey" PRIMARY KEY ("id")
);


-- The single row the postings list's cache keys on (see app/modules/postings/list-cache.server.ts).
INSERT INTO "PostingsState" ("id", "version") VALUES (1, 0);

-- Raised in the writing transaction, so the new value becomes visible together with the change
-- itself: a list that reads the new value also reads the new data.
CREATE FUNCTION "postings_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "PostingsState" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;

-- Every column: the list reads most of them, and who sees a posting depends on its status, host,
-- eligible institutes and deadline. Postings change rarely (HR edits, publishing, closing, filling).
CREATE TRIGGER "Posting_postings_changed"
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Posting"
  FOR EACH STATEMENT EXECUTE FUNCTION "postings_changed"();

-- Host names and codes (the institute filter), and the institute filter's list.
CREATE TRIGGER "Institute_postings_changed"
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Institute"
  FOR EACH STATEMENT EXECUTE FUNCTION "postings_changed"();

-- Area names on the listed postings, and the expertise filter's list (retired areas leave it).
CREATE TRIGGER "ExpertiseArea_postings_changed"
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "ExpertiseArea"
  FOR EACH STATEMENT EXECUTE FUNCTION "postings_changed"();
