import { db, likeLiteral } from "~/lib/db.server";
import { requireRateLimit } from "~/lib/rate-limits.server";
import { assertAdmin, type Actor } from "~/lib/permissions";
import { notFound, refused, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { PROFILE_SELECT } from "~/modules/directory/profile-edit.server";
import { ERASED_NAME } from "./erasure";
import {
  auditEventsMentioning,
  countLegacyAuditEvents,
  readSignInAddresses,
} from "./queries.server";
import { labelName, MARKING_LABELS } from "~/modules/workspaces/rules";
import { clock } from "~/lib/clock";
import { calendarDate } from "~/lib/time-zones";

/**
 * Everything the portal holds about the actor, as one JSON-ready object: account, sessions,
 * profile, applications with their timeline, placements with the checklist items that are theirs
 * to do, workspace memberships, notifications and the audit events they caused. Records that
 * involve other people name them by role only ("you", "someone else"): this is the actor's data,
 * not their colleagues'. The export is audited.
 */
export async function exportMyData(actor: Actor, ipAddress = "", now = clock.now()) {
  await requireRateLimit("exportsPerPerson", actor.id);
  return db.$transaction(async (tx) => {
    const userId = actor.id;
    const [account, sessions, profile, applications, placements, memberships, notifications] =
      await Promise.all([
        tx.user.findUniqueOrThrow({
          where: { id: userId },
          select: {
            id: true,
            email: true,
            displayName: true,
            jobTitle: true,
            team: true,
            roles: true,
            createdAt: true,
            deactivatedAt: true,
            institute: { select: { code: true, name: true } },
            mfa: { select: { confirmedAt: true } },
          },
        }),
        tx.session.findMany({
          where: { userId },
          orderBy: { createdAt: "asc" },
          select: {
            createdAt: true,
            lastSeenAt: true,
            expiresAt: true,
            ipAddress: true,
            userAgent: true,
          },
        }),
        tx.profile.findUnique({ where: { userId }, select: PROFILE_SELECT }),
        tx.application.findMany({
          where: { applicantId: userId },
          orderBy: { createdAt: "asc" },
          select: {
            id: true,
            status: true,
            statement: true,
            availableFrom: true,
            availableUntil: true,
            declaredClearance: true,
            submittedAt: true,
            createdAt: true,
            posting: { select: { title: true, hostInstitute: { select: { code: true } } } },
            cvFile: { select: { filename: true, size: true, sha256: true, createdAt: true } },
            events: {
              orderBy: { createdAt: "asc" },
              select: {
                fromStatus: true,
                toStatus: true,
                comment: true,
                createdAt: true,
                actorId: true,
              },
            },
          },
        }),
        tx.placement.findMany({
          where: { secondeeId: userId },
          orderBy: { createdAt: "asc" },
          select: {
            id: true,
            status: true,
            startDate: true,
            endDate: true,
            arrangementType: true,
            costArrangement: true,
            posting: { select: { title: true, hostInstitute: { select: { code: true } } } },
            checklistItems: {
              where: { ownerSide: "SECONDEE" },
              orderBy: { position: "asc" },
              select: {
                title: true,
                status: true,
                verifiedBy: true,
                verifiedOn: true,
                reference: true,
                level: true,
                expiresOn: true,
                completedAt: true,
                evidenceFile: { select: { filename: true, size: true, sha256: true } },
              },
            },
          },
        }),
        tx.workspaceMember.findMany({
          where: { userId },
          orderBy: { joinedAt: "asc" },
          select: {
            role: true,
            joinedAt: true,
            workspace: {
              select: { name: true, marking: true, restrictedTo: { select: { code: true } } },
            },
          },
        }),
        tx.notification.findMany({
          where: { userId },
          orderBy: { createdAt: "asc" },
          select: { kind: true, title: true, link: true, readAt: true, createdAt: true },
        }),
      ]);
    const auditEvents = await tx.auditEvent.findMany({
      where: { actorId: userId },
      orderBy: { seq: "asc" },
      select: {
        seq: true,
        at: true,
        action: true,
        targetType: true,
        targetId: true,
        ipAddress: true,
        details: true,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "privacy.export",
      targetType: "User",
      targetId: userId,
      ipAddress,
    });
    return {
      exportedAt: now.toISOString(),
      account: {
        id: account.id,
        email: account.email,
        displayName: account.displayName,
        jobTitle: account.jobTitle,
        team: account.team,
        roles: account.roles,
        institute: account.institute,
        createdAt: account.createdAt,
        deactivatedAt: account.deactivatedAt,
        twoStepVerificationSince: account.mfa?.confirmedAt ?? null,
      },
      sessions,
      profile,
      applications: applications.map((a) => ({
        id: a.id,
        posting: a.posting.title,
        hostInstitute: a.posting.hostInstitute.code,
        status: a.status,
        statement: a.statement,
        availableFrom: calendarDate(a.availableFrom),
        availableUntil: calendarDate(a.availableUntil),
        declaredClearance: a.declaredClearance,
        submittedAt: a.submittedAt,
        createdAt: a.createdAt,
        cv: a.cvFile,
        timeline: a.events.map((e) => ({
          at: e.createdAt,
          from: e.fromStatus,
          to: e.toStatus,
          comment: e.comment,
          by: e.actorId === userId ? "you" : e.actorId ? "someone else" : "the portal",
        })),
      })),
      placements: placements.map((p) => ({
        id: p.id,
        posting: p.posting.title,
        hostInstitute: p.posting.hostInstitute.code,
        status: p.status,
        startDate: calendarDate(p.startDate),
        endDate: calendarDate(p.endDate),
        arrangementType: p.arrangementType,
        costArrangement: p.costArrangement,
        yourChecklistItems: p.checklistItems.map((i) => ({
          ...i,
          verifiedOn: calendarDate(i.verifiedOn),
          expiresOn: calendarDate(i.expiresOn),
        })),
      })),
      workspaceMemberships: memberships.map((m) => ({
        workspace: m.workspace.name,
        label: labelName(m.workspace.restrictedTo),
        marking: MARKING_LABELS[m.workspace.marking],
        role: m.role,
        joinedAt: m.joinedAt,
      })),
      notifications,
      auditEvents: auditEvents.map((e) => ({ ...e, seq: e.seq.toString() })),
    };
  });
}

/**
 * Admins erase a departed person: personal data is removed or anonymised, workflow records stay
 * (applications, placements, reviews, pages keep their ids and states, now by "Erased user"), the
 * audit chain still verifies, and the person can no longer sign in. The admin types the person's
 * address to confirm. Audited, without naming them.
 */
export async function eraseUser(
  actor: Actor,
  userId: string,
  confirmEmail: string,
  now = clock.now(),
): Promise<ServiceResult<{ auditEventsErased: number; legacyAuditEvents: number }>> {
  assertAdmin(actor);
  if (userId === actor.id) return refused("You cannot erase your own account.", "confirmEmail");
  return db.$transaction(
    async (tx) => {
      const user = await tx.user.findUnique({
        where: { id: userId },
        select: { id: true, email: true, displayName: true, deactivatedAt: true },
      });
      if (!user || user.email.endsWith("@erased.invalid")) throw notFound();
      if (confirmEmail.trim().toLowerCase() !== user.email.toLowerCase())
        return refused("Type the person's email address exactly, to confirm.", "confirmEmail");
      const { email, displayName } = user;

      // The audit log: blank the personal values of every event by or about them. Events written
      // before personal digests existed cannot be blanked without breaking the chain; counted.
      const mentions = auditEventsMentioning(userId, email);
      const addresses = await readSignInAddresses(tx, mentions);
      const auditEventsErased = await tx.$executeRaw`
        UPDATE "AuditEvent" SET "actorEmail" = '', "ipAddress" = '', "personal" = '{}'::jsonb,
          "personalSalt" = '', "erasedAt" = ${now}
        WHERE ${mentions} AND "personalDigest" <> '' AND "erasedAt" IS NULL`;
      const legacyAuditEvents = await countLegacyAuditEvents(tx, mentions);

      // Sign-in and everything personal attached to the account.
      await tx.session.deleteMany({ where: { userId } });
      await tx.password.deleteMany({ where: { userId } });
      await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
      await tx.mfaSecret.deleteMany({ where: { userId } });
      await tx.oneTimeToken.deleteMany({ where: { userId } });
      await tx.throttle.deleteMany({
        where: {
          OR: [email, ...addresses.map((a) => a.ip)].map((needle) => ({
            key: { contains: likeLiteral(needle), mode: "insensitive" as const },
          })),
        },
      });
      await tx.profile.deleteMany({ where: { userId } });
      await tx.notification.deleteMany({ where: { userId } });
      await tx.notificationPreference.deleteMany({ where: { userId } });
      await tx.workspaceMember.deleteMany({ where: { userId } });
      await tx.workspaceInvitation.deleteMany({ where: { inviteeId: userId } });
      await tx.outboxEmail.deleteMany({
        where: { to: { equals: likeLiteral(email), mode: "insensitive" } },
      });

      // Their applications stay as records of the pipeline, without what they wrote or sent.
      const applications = await tx.application.findMany({
        where: { applicantId: userId },
        select: { id: true, cvFileId: true },
      });
      const applicationIds = applications.map((a) => a.id);
      await tx.application.updateMany({
        where: { applicantId: userId },
        data: { statement: "", cvFileId: null },
      });
      await tx.applicationEvent.updateMany({
        where: { applicationId: { in: applicationIds } },
        data: { comment: "" },
      });
      await tx.applicationNote.updateMany({
        where: { applicationId: { in: applicationIds } },
        data: { body: "(erased)" },
      });
      await tx.reviewAssignment.updateMany({
        where: { applicationId: { in: applicationIds } },
        data: { comment: "", scores: {} },
      });
      // Their placements keep dates and states; attestations and evidence about them go.
      const items = await tx.checklistItem.findMany({
        where: { placement: { secondeeId: userId } },
        select: { id: true, evidenceFileId: true },
      });
      await tx.checklistItem.updateMany({
        where: { id: { in: items.map((i) => i.id) } },
        data: {
          verifiedBy: "",
          reference: "",
          level: "",
          waivedReason: "",
          evidenceFileId: null,
        },
      });
      await tx.placementExtension.updateMany({
        where: { placement: { secondeeId: userId } },
        data: { reason: "(erased)" },
      });
      const files = [
        ...applications.map((a) => a.cvFileId),
        ...items.map((i) => i.evidenceFileId),
      ].filter((id): id is string => Boolean(id));
      await tx.storedFile.deleteMany({ where: { id: { in: files } } });

      // Their name and address in text written about them elsewhere, in any letter case (plain
      // text emails print headings in capitals).
      const pattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      for (const [table, columns] of [
        ["WorkspaceActivity", ["summary"]],
        ["Notification", ["title"]],
        ["OutboxEmail", ["subject", "html", "text"]],
      ] as const) {
        for (const column of columns) {
          await tx.$executeRawUnsafe(
            `UPDATE "${table}"
             SET "${column}" = regexp_replace(regexp_replace("${column}", $1, $2, 'gi'), $3, $4, 'gi')
             WHERE strpos(lower("${column}"), lower($5)) > 0 OR strpos(lower("${column}"), lower($6)) > 0`,
            pattern(displayName),
            ERASED_NAME,
            pattern(email),
            "(erased address)",
            displayName,
            email,
          );
        }
      }

      await tx.user.update({
        where: { id: userId },
        data: {
          email: `erased-${userId}@erased.invalid`,
          displayName: ERASED_NAME,
          jobTitle: "",
          team: "",
          lineManagerId: null,
          // The identity provider's id for them would link the erased account back to a person,
          // and what else it sent is their name and addresses.
          scimExternalId: null,
          scimUserName: null,
          scimGivenName: null,
          scimFamilyName: null,
          scimFormattedName: null,
          scimWorkEmail: null,
          deactivatedAt: user.deactivatedAt ?? now,
        },
      });
      await recordAudit(tx, {
        actor,
        action: "user.erased",
        targetType: "User",
        targetId: userId,
        details: {
          auditEventsErased,
          legacyAuditEvents,
          applications: applicationIds.length,
          files: files.length,
        },
      });
      return {
        ok: true as const,
        auditEventsErased,
        legacyAuditEvents,
      };
    },
    { timeout: 60_000 },
  );
}
