-- CreateTable
CREATE TABLE "DashboardState" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DashboardState_pkey" PRIMARY KEY ("id")
);


-- The single row the HR dashboard's cache keys on (see app/modules/dashboards/dashboard-cache.server.ts).
INSERT INTO "DashboardState" ("id", "version") VALUES (1, 0);

-- Raised once per writing transaction, at its commit: the new value becomes visible together with
-- the change itself, so a dashboard that reads the new value also reads the new data. Deferred to
-- the commit so that the row is locked only for the commit's last moment: a transaction never
-- holds it while it waits for another lock (the audit chain's, another row's), so it cannot be
-- part of a deadlock. The transaction-local setting makes later rows of the same transaction skip
-- the update (a bulk insert of thousands of applications raises it once).
CREATE FUNCTION "dashboard_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('exchange.dashboard_changed', true) IS DISTINCT FROM 'yes' THEN
    UPDATE "DashboardState" SET "version" = "version" + 1 WHERE "id" = 1;
    PERFORM set_config('exchange.dashboard_changed', 'yes', true);
  END IF;
  RETURN NULL;
END;
$$;

-- What the dashboard counts: applications and their stage changes, postings (and their titles in
-- its filter), placements, checklist items, people's institutes and institutes' time zones.
CREATE CONSTRAINT TRIGGER "Application_dashboard_changed"
  AFTER INSERT OR UPDATE OR DELETE ON "Application"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "dashboard_changed"();
CREATE CONSTRAINT TRIGGER "ApplicationEvent_dashboard_changed"
  AFTER INSERT OR UPDATE OR DELETE ON "ApplicationEvent"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "dashboard_changed"();
CREATE CONSTRAINT TRIGGER "Posting_dashboard_changed"
  AFTER INSERT OR UPDATE OR DELETE ON "Posting"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "dashboard_changed"();
CREATE CONSTRAINT TRIGGER "Placement_dashboard_changed"
  AFTER INSERT OR UPDATE OR DELETE ON "Placement"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "dashboard_changed"();
CREATE CONSTRAINT TRIGGER "ChecklistItem_dashboard_changed"
  AFTER INSERT OR UPDATE OR DELETE ON "ChecklistItem"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "dashboard_changed"();
CREATE CONSTRAINT TRIGGER "User_dashboard_changed"
  AFTER INSERT OR DELETE OR UPDATE OF "instituteId" ON "User"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "dashboard_changed"();
CREATE CONSTRAINT TRIGGER "Institute_dashboard_changed"
  AFTER INSERT OR DELETE OR UPDATE OF "timeZone" ON "Institute"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "dashboard_changed"();

-- A constraint trigger cannot fire on TRUNCATE; these do, at once.
CREATE FUNCTION "dashboard_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "DashboardState" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "Application_dashboard_truncated" AFTER TRUNCATE ON "Application"
  FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_truncated"();
CREATE TRIGGER "ApplicationEvent_dashboard_truncated" AFTER TRUNCATE ON "ApplicationEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_truncated"();
CREATE TRIGGER "Posting_dashboard_truncated" AFTER TRUNCATE ON "Posting"
  FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_truncated"();
CREATE TRIGGER "Placement_dashboard_truncated" AFTER TRUNCATE ON "Placement"
  FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_truncated"();
CREATE TRIGGER "ChecklistItem_dashboard_truncated" AFTER TRUNCATE ON "ChecklistItem"
  FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_truncated"();
CREATE TRIGGER "User_dashboard_truncated" AFTER TRUNCATE ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_truncated"();
CREATE TRIGGER "Institute_dashboard_truncated" AFTER TRUNCATE ON "Institute"
  FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_truncated"();
