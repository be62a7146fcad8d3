// Notifications at scale: the in-app copies of the emails people would have had, titled as the
// email templates title them and linking to real records, older ones read and recent ones not.
// The demo people get several hundred each, so their notification centre has pages to page through.
import { subject as submittedSubject } from "../../emails/application-submitted";
import { subject as updateSubject } from "../../emails/application-update";
import { subject as digestSubject } from "../../emails/checklist-digest";
import { subject as reviewerSubject } from "../../emails/reviewer-assigned";
import { subject as invitationSubject } from "../../emails/workspace-invitation";
import { Random } from "../../test/factories/random";
import type { Phase } from "./context";
import { apportion, DAY_MS, insertRows, newId } from "./sql";

/** Share of all notifications for each demo person (when present). */
const DEMO_SHARE: Record<string, number> = {
  "jordan.rivera@us-aisi.example": 0.014,
  "eleanor.hughes@uk-aisi.example": 0.012,
  "sam.okafor@us-aisi.example": 0.01,
  "priya.natarajan@us-aisi.example": 0.008,
  "tom.whitfield@uk-aisi.example": 0.006,
  "aisha.rahman@uk-aisi.example": 0.005,
  "morgan.blake@uk-aisi.example": 0.004,
};

type Source = { postingTitle: string; applicationId: string; applicantName: string };

export async function generateNotifications(phase: Phase) {
  const { tx, now, counts, people } = phase;
  const rng = new Random("scale:notifications");
  const apps: Source[] = (
    await tx.application.findMany({
      where: { status: { not: "DRAFT" } },
      select: {
        id: true,
        applicant: { select: { displayName: true } },
        posting: { select: { title: true } },
      },
      take: 5000,
    })
  ).map((a) => ({
    postingTitle: a.posting.title,
    applicationId: a.id,
    applicantName: a.applicant.displayName,
  }));
  const workspaces = await tx.workspace.findMany({ select: { id: true, name: true }, take: 2000 });
  const placements = await tx.placement.findMany({ select: { id: true }, take: 2000 });
  if (!apps.length) throw new Error("Notifications need applications to point to.");

  // Who gets how many: the demo people their share, everyone else a skewed spread.
  const recipients = people.people;
  const fixed = new Map<string, number>();
  for (const [email, share] of Object.entries(DEMO_SHARE)) {
    const p = people.byEmail.get(email);
    if (p) fixed.set(p.id, Math.max(1, Math.round(counts.notifications * share)));
  }
  const fixedTotal = [...fixed.values()].reduce((a, b) => a + b, 0);
  const others = recipients.filter((p) => !fixed.has(p.id));
  const perPerson = new Map(fixed);
  apportion(
    Math.max(0, counts.notifications - fixedTotal),
    others.map(() => (rng.chance(0.3) ? rng.next() ** 4 : 0)),
  ).forEach((n, i) => {
    if (n > 0) perPerson.set(others[i]!.id, n);
  });

  const byId = people.byId;
  const rows: Record<string, unknown>[] = [];
  for (const [userId, n] of perPerson) {
    const person = byId.get(userId)!;
    const isHr = person.roles.includes("HR");
    // Unread: the most recent few (more for the busiest people); older ones read.
    const unread = Math.min(n, rng.int(0, Math.max(3, Math.round(n * 0.12))));
    for (let k = 0; k < n; k++) {
      const createdAt = new Date(
        now.getTime() - (k + rng.next()) * (400 / Math.max(n, 1)) * DAY_MS,
      );
      const app = rng.pick(apps);
      const url = `/applications/${app.applicationId}`;
      const roll = rng.next();
      let kind: string;
      let title: string;
      let link = url;
      if (roll < 0.45) {
        kind = "application-update";
        const status = isHr
          ? rng.pick(["HOME_RELEASED", "ACCEPTED", "DECLINED", "WITHDRAWN"] as const)
          : rng.pick([
              "UNDER_REVIEW",
              "SHORTLISTED",
              "INTERVIEW",
              "REJECTED",
              "HOME_RELEASED",
            ] as const);
        title = updateSubject({
          ...app,
          hostInstitute: "",
          url,
          recipientName: person.displayName,
          status,
          comment: "",
        });
      } else if (roll < 0.65) {
        kind = "application-submitted";
        title = submittedSubject({
          ...app,
          hostInstitute: "",
          url,
          audience: rng.chance(0.5) ? "applicant" : "lineManager",
          recipientName: person.displayName,
        });
      } else if (roll < 0.8) {
        kind = "reviewer-assigned";
        title = reviewerSubject({
          ...app,
          hostInstitute: "",
          url,
          recipientName: person.displayName,
        } as never);
      } else if (roll < 0.92 && placements.length) {
        kind = "checklist-digest";
        const items = Array.from({ length: rng.int(1, 4) }, (_, i) => ({
          overdue: i === 0 && rng.chance(0.5),
        }));
        title = digestSubject({ kind: rng.chance(0.15) ? "escalation" : "digest", items } as never);
        link = `/placements/${rng.pick(placements).id}`;
      } else {
        kind = "workspace-invitation";
        const ws = rng.pick(workspaces);
        title = invitationSubject({ workspaceName: ws.name } as never);
        link = `/workspaces/${ws.id}`;
      }
      rows.push({
        id: newId(),
        userId,
        kind,
        title: title.slice(0, 300),
        link,
        readAt:
          k < unread
            ? null
            : new Date(
                Math.min(now.getTime(), createdAt.getTime() + rng.int(1, 72) * 3_600_000),
              ).toISOString(),
        createdAt: createdAt.toISOString(),
      });
    }
  }
  const bar = phase.bar("notifications", rows.length);
  await insertRows(
    tx,
    "Notification",
    {
      id: "text",
      userId: "text",
      kind: "text",
      title: "text",
      link: "text",
      readAt: "timestamp(3)",
      createdAt: "timestamp(3)",
    },
    rows,
    { bar },
  );
  bar.done(`${rows.filter((r) => r.readAt === null).length} unread`);
  return rows.length;
}
