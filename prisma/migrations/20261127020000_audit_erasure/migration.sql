-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "personal" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "personalDigest" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "personalSalt" TEXT NOT NULL DEFAULT '';


-- Still append-only, with one exception: erasing a person's data from an event written under the
-- digest scheme. Only the personal values and the salt may be blanked, once, and nothing else may
-- change; the chain (which covers the digest) still verifies.
CREATE OR REPLACE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
    AND OLD."personalDigest" <> '' AND OLD."erasedAt" IS NULL AND NEW."erasedAt" IS NOT NULL
    AND NEW."actorEmail" = '' AND NEW."ipAddress" = '' AND NEW."personal" = '{}'::jsonb
    AND NEW."personalSalt" = ''
    AND NEW."seq" = OLD."seq" AND NEW."at" = OLD."at"
    AND NEW."actorId" IS NOT DISTINCT FROM OLD."actorId"
    AND NEW."action" = OLD."action" AND NEW."targetType" = OLD."targetType"
    AND NEW."targetId" = OLD."targetId"
    AND NEW."instituteId" IS NOT DISTINCT FROM OLD."instituteId"
    AND NEW."details" = OLD."details" AND NEW."personalDigest" = OLD."personalDigest"
    AND NEW."prevHash" = OLD."prevHash" AND NEW."hash" = OLD."hash"
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'AuditEvent is append-only';
END;
$$;
