-- CreateTable
CREATE TABLE "WorkspaceContentState" (
    "workspaceId" TEXT NOT NULL,
    "version" BIGSERIAL NOT NULL,

    CONSTRAINT "WorkspaceContentState_pkey" PRIMARY KEY ("workspaceId")
);

-- AddForeignKey
ALTER TABLE "WorkspaceContentState" ADD CONSTRAINT "WorkspaceContentState_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The version the workspace content cache keys on (app/modules/workspaces/content-cache.server.ts):
-- one row per workspace, made with it, so that raising a version only ever updates a row (an
-- insert would check the workspace row's key, and could wait on a lock a writer holds there).
INSERT INTO "WorkspaceContentState" ("workspaceId") SELECT "id" FROM "Workspace" ORDER BY "id";

CREATE FUNCTION "workspace_content_created"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WorkspaceContentState" ("workspaceId") VALUES (NEW."id");
  RETURN NULL;
END;
$$;
CREATE TRIGGER "Workspace_content_created" AFTER INSERT ON "Workspace"
  FOR EACH ROW EXECUTE FUNCTION "workspace_content_created"();

-- How a change raises the versions, in three parts:
--
-- 1. Every changed row notes its workspace in a transaction-local list (a setting: no lock, no
--    write). "*" stands for every workspace (a person's name, an institute's code).
-- 2. The first change of a transaction also queues one deferred constraint trigger (its WHEN,
--    unlike its body, runs at once, and is true only for the first change since the last raise).
-- 3. At the commit that trigger raises the noted workspaces' versions, all at once, locking their
--    rows in workspaceId order. So the new versions become visible together with the change, a
--    version row is locked only for the commit's last moment (never while the transaction waits
--    for another lock, such as the audit chain's or a workspace row's), and two transactions that
--    change the same workspaces lock them in the same order: none of this can deadlock. A bulk
--    insert of thousands of rows raises each workspace once.
--
-- A rolled-back savepoint takes its notes and its queued trigger with it (settings are
-- transactional), so the two parts always agree. Every value comes from the column's sequence:
-- each raise gives a number greater than any before, never used again.
CREATE FUNCTION "workspace_content_note"(ws text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  noted text := coalesce(current_setting('exchange.workspaces_changed', true), '');
BEGIN
  -- chr(31) separates the ids, which never contain it; the same workspace as the row before is the
  -- common case (a bulk insert, a row's OLD and NEW), checked first.
  IF ws IS NULL OR noted = '*' OR right(noted, length(ws) + 2) = chr(31) || ws || chr(31)
    OR strpos(noted, chr(31) || ws || chr(31)) > 0 THEN
    RETURN;
  END IF;
  PERFORM set_config('exchange.workspaces_changed',
    CASE WHEN noted = '' THEN chr(31) ELSE noted END || ws || chr(31), true);
END;
$$;

CREATE FUNCTION "workspace_content_note_all"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('exchange.workspaces_changed', '*', true);
  RETURN NULL;
END;
$$;

-- The WHEN of the commit-time triggers: true once per transaction, until the raise has run.
CREATE FUNCTION "workspace_content_first_change"() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('exchange.workspaces_raise_queued', true) = 'yes' THEN
    RETURN false;
  END IF;
  PERFORM set_config('exchange.workspaces_raise_queued', 'yes', true);
  RETURN true;
END;
$$;

-- Raises the versions of `ids` (NULL: every workspace), locking their rows in order first.
CREATE FUNCTION "workspace_content_raise"(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL THEN
    PERFORM 1 FROM "WorkspaceContentState" ORDER BY "workspaceId" FOR UPDATE;
    UPDATE "WorkspaceContentState" SET "version" = nextval('"WorkspaceContentState_version_seq"');
  ELSE
    PERFORM 1 FROM "WorkspaceContentState" WHERE "workspaceId" = ANY (ids)
      ORDER BY "workspaceId" FOR UPDATE;
    UPDATE "WorkspaceContentState" SET "version" = nextval('"WorkspaceContentState_version_seq"')
      WHERE "workspaceId" = ANY (ids);
  END IF;
END;
$$;

CREATE FUNCTION "workspace_content_commit"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  noted text := coalesce(current_setting('exchange.workspaces_changed', true), '');
BEGIN
  PERFORM set_config('exchange.workspaces_changed', '', true);
  PERFORM set_config('exchange.workspaces_raise_queued', '', true);
  IF noted = '*' THEN
    PERFORM "workspace_content_raise"(NULL);
  ELSIF noted <> '' THEN
    PERFORM "workspace_content_raise"(string_to_array(trim(BOTH chr(31) FROM noted), chr(31)));
  END IF;
  RETURN NULL;
END;
$$;

-- A constraint trigger cannot fire on TRUNCATE; this raises every version at once.
CREATE FUNCTION "workspace_content_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "workspace_content_raise"(NULL);
  RETURN NULL;
END;
$$;

-- Rows that belong to a workspace by their own "workspaceId".
CREATE FUNCTION "workspace_content_row_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM "workspace_content_note"(OLD."workspaceId");
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM "workspace_content_note"(NEW."workspaceId");
  END IF;
  RETURN NULL;
END;
$$;

-- A page version belongs to its page's workspace. A version deleted with its page (or with its
-- workspace) finds no page: the page's own deletion was noted.
CREATE FUNCTION "workspace_content_page_version_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM "workspace_content_note"(
      (SELECT "workspaceId" FROM "WorkspacePage" WHERE "id" = OLD."pageId"));
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM "workspace_content_note"(
      (SELECT "workspaceId" FROM "WorkspacePage" WHERE "id" = NEW."pageId"));
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION "workspace_content_workspace_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "workspace_content_note"(NEW."id");
  RETURN NULL;
END;
$$;

-- What the three pages show. The home: the purpose, members (role, placement, name, address and
-- institute code), the latest activity with its actors' names, open tasks with their assignees'
-- names, registrations. A page: its text, its editor's name, its discussion threads with their
-- comments and authors' names. A history: the page's versions and their authors' names.
CREATE TRIGGER "WorkspaceMember_workspace_content" AFTER INSERT OR UPDATE OR DELETE ON "WorkspaceMember"
  FOR EACH ROW EXECUTE FUNCTION "workspace_content_row_changed"();
CREATE TRIGGER "WorkspaceActivity_workspace_content" AFTER INSERT OR UPDATE OR DELETE ON "WorkspaceActivity"
  FOR EACH ROW EXECUTE FUNCTION "workspace_content_row_changed"();
CREATE TRIGGER "WorkspaceTask_workspace_content" AFTER INSERT OR UPDATE OR DELETE ON "WorkspaceTask"
  FOR EACH ROW EXECUTE FUNCTION "workspace_content_row_changed"();
CREATE TRIGGER "FindingsRegistration_workspace_content" AFTER INSERT OR UPDATE OR DELETE ON "FindingsRegistration"
  FOR EACH ROW EXECUTE FUNCTION "workspace_content_row_changed"();
CREATE TRIGGER "WorkspacePage_workspace_content" AFTER INSERT OR UPDATE OR DELETE ON "WorkspacePage"
  FOR EACH ROW EXECUTE FUNCTION "workspace_content_row_changed"();
CREATE TRIGGER "DiscussionThread_workspace_content" AFTER INSERT OR UPDATE OR DELETE ON "DiscussionThread"
  FOR EACH ROW EXECUTE FUNCTION "workspace_content_row_changed"();
CREATE TRIGGER "Comment_workspace_content" AFTER INSERT OR UPDATE OR DELETE ON "Comment"
  FOR EACH ROW EXECUTE FUNCTION "workspace_content_row_changed"();
CREATE TRIGGER "PageVersion_workspace_content" AFTER INSERT OR UPDATE OR DELETE ON "PageVersion"
  FOR EACH ROW EXECUTE FUNCTION "workspace_content_page_version_changed"();
-- The workspace's own columns: the purpose is shown; the rest of the frame comes from the read
-- check, never cached, but a settings change is rare. Not "updatedAt", which every content change
-- touches (and raises through its own table).
CREATE TRIGGER "Workspace_workspace_content" AFTER UPDATE OF "name", "purpose", "marking", "kind", "restrictedToInstituteId" ON "Workspace"
  FOR EACH ROW EXECUTE FUNCTION "workspace_content_workspace_changed"();
-- People's names, addresses and institutes appear in every workspace they were ever part of;
-- they change rarely, so every workspace is raised. Sign-ins and other columns raise nothing.
CREATE TRIGGER "User_workspace_content" AFTER UPDATE OF "displayName", "email", "instituteId" ON "User"
  FOR EACH ROW WHEN (OLD."displayName" IS DISTINCT FROM NEW."displayName"
    OR OLD."email" IS DISTINCT FROM NEW."email" OR OLD."instituteId" IS DISTINCT FROM NEW."instituteId")
  EXECUTE FUNCTION "workspace_content_note_all"();
-- Institute codes, shown beside members' names.
CREATE TRIGGER "Institute_workspace_content" AFTER UPDATE OF "code" ON "Institute"
  FOR EACH ROW WHEN (OLD."code" IS DISTINCT FROM NEW."code")
  EXECUTE FUNCTION "workspace_content_note_all"();

-- The commit-time raise, queued by the first change of a transaction to any of those tables. Its
-- WHEN holds nothing but the once-per-transaction test: a test that could say true and then be
-- overruled would leave the rest of the transaction with nothing queued.
CREATE CONSTRAINT TRIGGER "WorkspaceMember_workspace_content_commit" AFTER INSERT OR UPDATE OR DELETE ON "WorkspaceMember"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ("workspace_content_first_change"())
  EXECUTE FUNCTION "workspace_content_commit"();
CREATE CONSTRAINT TRIGGER "WorkspaceActivity_workspace_content_commit" AFTER INSERT OR UPDATE OR DELETE ON "WorkspaceActivity"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ("workspace_content_first_change"())
  EXECUTE FUNCTION "workspace_content_commit"();
CREATE CONSTRAINT TRIGGER "WorkspaceTask_workspace_content_commit" AFTER INSERT OR UPDATE OR DELETE ON "WorkspaceTask"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ("workspace_content_first_change"())
  EXECUTE FUNCTION "workspace_content_commit"();
CREATE CONSTRAINT TRIGGER "FindingsRegistration_workspace_content_commit" AFTER INSERT OR UPDATE OR DELETE ON "FindingsRegistration"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ("workspace_content_first_change"())
  EXECUTE FUNCTION "workspace_content_commit"();
CREATE CONSTRAINT TRIGGER "WorkspacePage_workspace_content_commit" AFTER INSERT OR UPDATE OR DELETE ON "WorkspacePage"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ("workspace_content_first_change"())
  EXECUTE FUNCTION "workspace_content_commit"();
CREATE CONSTRAINT TRIGGER "DiscussionThread_workspace_content_commit" AFTER INSERT OR UPDATE OR DELETE ON "DiscussionThread"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ("workspace_content_first_change"())
  EXECUTE FUNCTION "workspace_content_commit"();
CREATE CONSTRAINT TRIGGER "Comment_workspace_content_commit" AFTER INSERT OR UPDATE OR DELETE ON "Comment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ("workspace_content_first_change"())
  EXECUTE FUNCTION "workspace_content_commit"();
CREATE CONSTRAINT TRIGGER "PageVersion_workspace_content_commit" AFTER INSERT OR UPDATE OR DELETE ON "PageVersion"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ("workspace_content_first_change"())
  EXECUTE FUNCTION "workspace_content_commit"();
CREATE CONSTRAINT TRIGGER "Workspace_workspace_content_commit" AFTER UPDATE OF "name", "purpose", "marking", "kind", "restrictedToInstituteId" ON "Workspace"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ("workspace_content_first_change"())
  EXECUTE FUNCTION "workspace_content_commit"();
CREATE CONSTRAINT TRIGGER "User_workspace_content_commit" AFTER UPDATE OF "displayName", "email", "instituteId" ON "User"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ("workspace_content_first_change"())
  EXECUTE FUNCTION "workspace_content_commit"();
CREATE CONSTRAINT TRIGGER "Institute_workspace_content_commit" AFTER UPDATE OF "code" ON "Institute"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ("workspace_content_first_change"())
  EXECUTE FUNCTION "workspace_content_commit"();

CREATE TRIGGER "WorkspaceMember_workspace_content_truncated" AFTER TRUNCATE ON "WorkspaceMember"
  FOR EACH STATEMENT EXECUTE FUNCTION "workspace_content_truncated"();
CREATE TRIGGER "WorkspaceActivity_workspace_content_truncated" AFTER TRUNCATE ON "WorkspaceActivity"
  FOR EACH STATEMENT EXECUTE FUNCTION "workspace_content_truncated"();
CREATE TRIGGER "WorkspaceTask_workspace_content_truncated" AFTER TRUNCATE ON "WorkspaceTask"
  FOR EACH STATEMENT EXECUTE FUNCTION "workspace_content_truncated"();
CREATE TRIGGER "FindingsRegistration_workspace_content_truncated" AFTER TRUNCATE ON "FindingsRegistration"
  FOR EACH STATEMENT EXECUTE FUNCTION "workspace_content_truncated"();
CREATE TRIGGER "WorkspacePage_workspace_content_truncated" AFTER TRUNCATE ON "WorkspacePage"
  FOR EACH STATEMENT EXECUTE FUNCTION "workspace_content_truncated"();
CREATE TRIGGER "DiscussionThread_workspace_content_truncated" AFTER TRUNCATE ON "DiscussionThread"
  FOR EACH STATEMENT EXECUTE FUNCTION "workspace_content_truncated"();
CREATE TRIGGER "Comment_workspace_content_truncated" AFTER TRUNCATE ON "Comment"
  FOR EACH STATEMENT EXECUTE FUNCTION "workspace_content_truncated"();
CREATE TRIGGER "PageVersion_workspace_content_truncated" AFTER TRUNCATE ON "PageVersion"
  FOR EACH STATEMENT EXECUTE FUNCTION "workspace_content_truncated"();
CREATE TRIGGER "User_workspace_content_truncated" AFTER TRUNCATE ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION "workspace_content_truncated"();
CREATE TRIGGER "Institute_workspace_content_truncated" AFTER TRUNCATE ON "Institute"
  FOR EACH STATEMENT EXECUTE FUNCTION "workspace_content_truncated"();
