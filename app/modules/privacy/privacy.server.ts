import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { recordAudit } from "~/modules/audit/audit.server";
import { labelName, MARKING_LABELS } from "~/modules/workspaces/rules";

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/**
 * Everything the portal holds about the actor, as one JSON-ready object: account, sessions,
 * profile, applications with their timeline, placements with the checklist items that are theirs
 * to do, workspace memberships, notifications and the audit events they caused. Records that
 * involve other people name them by role only ("you", "someone else"): this is the actor's data,
 * not their colleagues'. The export is audited.
 */
export async function exportMyData(actor: Actor, ipAddress = "", now = new Date()) {
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
        tx.profile.findUnique({
          where: { userId },
          select: {
            bio: true,
            bioVisibility: true,
            expertiseLabels: true,
            expertiseVisibility: true,
            skills: true,
            skillsVisibility: true,
            publications: true,
            publicationsVisibility: true,
            languages: true,
            languagesVisibility: true,
            location: true,
            locationVisibility: true,
            openToSecondment: true,
            openToCollaboration: true,
            availabilityVisibility: true,
            updatedAt: true,
          },
        }),
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
        availableFrom: day(a.availableFrom),
        availableUntil: day(a.availableUntil),
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
        startDate: day(p.startDate),
        endDate: day(p.endDate),
        arrangementType: p.arrangementType,
        costArrangement: p.costArrangement,
        yourChecklistItems: p.checklistItems.map((i) => ({
          ...i,
          verifiedOn: day(i.verifiedOn),
          expiresOn: day(i.expiresOn),
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
