// Applications at scale, as the services would have left them: each with its CV, the timeline of
// every move it made to reach its stage (ApplicationEvent, by the right person, in order), the
// line manager who releases it, and review assignments with conflict declarations and scores.
import type { ApplicationStatus, PostingStatus } from "~/generated/prisma/enums";
import { APPLICATION_STATUSES } from "~/modules/applications/workflow";
import { pathTo } from "../../test/factories/pipeline";
import { pdfBytes } from "../../test/factories/postings";
import { Random } from "../../test/factories/random";
import type { Phase } from "./context";
import type { PoolPerson } from "./people";
import type { GenPosting } from "./postings";
import {
  addDays,
  apportion,
  apportionCapped,
  DAY_MS,
  insertPdfFiles,
  insertRows,
  isoDay,
  newId,
} from "./sql";

export type GenApplication = {
  id: string;
  posting: GenPosting;
  applicant: PoolPerson;
  status: ApplicationStatus;
  availableFrom: Date;
  /** When each move on its path happened. */
  moves: { to: ApplicationStatus; at: Date; actorId: string | null }[];
};

const WEIGHTS: Record<PostingStatus, [ApplicationStatus, number][]> = {
  OPEN: [
    ["DRAFT", 8],
    ["SUBMITTED", 12],
    ["HOME_RELEASED", 9],
    ["HOME_DECLINED", 4],
    ["UNDER_REVIEW", 18],
    ["SHORTLISTED", 9],
    ["INTERVIEW", 7],
    ["OFFERED", 3],
    ["DECLINED", 2],
    ["REJECTED", 14],
    ["WITHDRAWN", 6],
  ],
  CLOSED: [
    ["DRAFT", 2],
    ["SUBMITTED", 3],
    ["HOME_RELEASED", 6],
    ["HOME_DECLINED", 5],
    ["UNDER_REVIEW", 20],
    ["SHORTLISTED", 12],
    ["INTERVIEW", 10],
    ["OFFERED", 4],
    ["DECLINED", 3],
    ["REJECTED", 25],
    ["WITHDRAWN", 7],
  ],
  FILLED: [
    ["DRAFT", 2],
    ["HOME_DECLINED", 8],
    ["DECLINED", 5],
    ["REJECTED", 70],
    ["WITHDRAWN", 12],
  ],
  CANCELLED: [
    ["DRAFT", 10],
    ["HOME_DECLINED", 10],
    ["REJECTED", 20],
    ["WITHDRAWN", 60],
  ],
  DRAFT: [],
};

const COMMENTS: Partial<Record<ApplicationStatus, string[]>> = {
  HOME_RELEASED: [
    "Happy to release: the team can cover the work for the secondment.",
    "Released. Please keep the team posted on start dates.",
    "",
  ],
  HOME_DECLINED: [
    "Not this round: we are short-staffed until the summer.",
    "We need you for the next testing exercise; let's look again next cycle.",
  ],
  REJECTED: [
    "Thank you for applying. We chose candidates with more hands-on experience in this area.",
    "A strong field this round: we could not take your application further.",
    "We are looking for more experience of pre-deployment testing for this posting.",
  ],
  OFFERED: ["Delighted to offer you a place.", "We would love to have you: offer attached."],
  SHORTLISTED: ["", "Strong reviews from the panel."],
};

const STATEMENTS = [
  "I would bring hands-on experience of running evaluations at my institute, and I want to learn how the host team designs its test suites so that we can run joint exercises more smoothly.",
  "My work on this topic at home would benefit from the host team's tooling, and I can share what we have learned about running studies at scale.",
  "I have led two projects close to this posting and would like to bring the methods back to my team, while contributing to the host's current programme.",
  "This secondment fits the next step of my research, and the partnership would gain a shared method both institutes can use.",
];

const FEEDBACK = [
  "Strong background, clear plan for the secondment.",
  "Relevant experience; would need support on the host's tooling.",
  "Good fit with the team's work.",
  "Limited hands-on experience in the area.",
  "Excellent references and a clear contribution to the partnership.",
];

/** The party who makes a move, as the services require (see applications/workflow.ts). */
function actorFor(to: ApplicationStatus, applicant: PoolPerson, contactHrId: string) {
  if (to === "HOME_RELEASED" || to === "HOME_DECLINED") return applicant.lineManagerId;
  if (to === "SUBMITTED" || to === "ACCEPTED" || to === "DECLINED" || to === "WITHDRAWN")
    return applicant.id;
  return contactHrId;
}

export async function generateApplications(phase: Phase, postings: GenPosting[]) {
  const { tx, now, counts, people, demo } = phase;
  const rng = new Random("scale:applications");
  const candidates = new Map(
    people.institutes.map((i) => [
      i.id,
      (people.byInstitute.get(i.id) ?? []).filter(
        (p) => p.lineManagerId !== null && !p.roles.includes("HR") && !p.roles.includes("ADMIN"),
      ),
    ]),
  );
  const open = postings.filter((p) => p.status !== "DRAFT");

  // How many applications each posting gets: heavy postings share 15%, the rest a skewed spread.
  const heavy = open.filter((p) => p.heavy);
  const light = open.filter((p) => !p.heavy);
  const heavyTotal = Math.round(counts.applications * 0.15);
  // No posting is given more applications than most of the people who may apply (room is left
  // for the demo staff).
  const capacity = (p: GenPosting) =>
    Math.floor(p.eligible.reduce((n, id) => n + (candidates.get(id)?.length ?? 0), 0) * 0.8);
  const perPosting = new Map<GenPosting, number>();
  const heavyShares = apportionCapped(
    heavyTotal,
    heavy.map((_, i) => 2 - i / Math.max(1, heavy.length)),
    heavy.map(capacity),
  );
  heavyShares.forEach((n, i) => perPosting.set(heavy[i]!, n));
  const heavyMade = heavyShares.reduce((a, b) => a + b, 0);
  apportionCapped(
    counts.applications - heavyMade,
    light.map(() => 0.2 + rng.next() ** 2 * 3),
    light.map(capacity),
  ).forEach((n, i) => perPosting.set(light[i]!, n));

  // Accepted offers (future placements): one per filled posting first, then by weight.
  const quota = new Map<GenPosting, number>();
  let left = counts.placements;
  for (const p of open) {
    if (p.status === "FILLED" && left > 0 && perPosting.get(p)! > 0) {
      quota.set(p, 1);
      left--;
    } else quota.set(p, 0);
  }
  const weight = (p: GenPosting) =>
    ({ FILLED: 3, CLOSED: 1, OPEN: 0.4, CANCELLED: 0, DRAFT: 0 })[p.status] * perPosting.get(p)!;
  const cap = (p: GenPosting) =>
    p.status === "CANCELLED" ? 0 : Math.floor(perPosting.get(p)! * 0.6);
  apportion(left, open.map(weight)).forEach((n, i) => {
    const p = open[i]!;
    const take = Math.min(n, cap(p) - quota.get(p)!);
    quota.set(p, quota.get(p)! + take);
    left -= take;
  });
  for (const p of [...open].sort((a, b) => weight(b) - weight(a))) {
    if (left <= 0) break;
    const take = Math.min(left, cap(p) - quota.get(p)!);
    if (take > 0) {
      quota.set(p, quota.get(p)! + take);
      left -= take;
    }
  }

  const apps: GenApplication[] = [];
  const add = (posting: GenPosting, applicant: PoolPerson, status: ApplicationStatus) => {
    // Submitted while the posting was open; each later move a few days after the one before.
    const windowEnd = Math.min(posting.deadline.getTime(), now.getTime()) - DAY_MS / 2;
    const windowStart = Math.min(posting.createdAt.getTime() + DAY_MS, windowEnd - DAY_MS);
    let at = windowStart + rng.next() * (windowEnd - windowStart);
    const moves: GenApplication["moves"] = [];
    const path = pathTo(status);
    path.forEach((to, k) => {
      if (k > 0) at += (0.5 + rng.next() * 8) * DAY_MS;
      // Never in the future: later moves squeezed into the last hours.
      at = Math.min(at, now.getTime() - (path.length - k) * 3_600_000);
      moves.push({ to, at: new Date(at), actorId: actorFor(to, applicant, posting.contactHr.id) });
    });
    apps.push({
      id: newId(),
      posting,
      applicant,
      status,
      availableFrom: addDays(posting.earliestStart, rng.int(0, 30)),
      moves,
    });
  };

  // The demo staff apply abroad, in varied stages: their own pages and their managers' releases.
  const taken = new Map<GenPosting, Set<string>>(open.map((p) => [p, new Set()]));
  const demoStages: ApplicationStatus[] = [
    "SUBMITTED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "INTERVIEW",
    "REJECTED",
    "WITHDRAWN",
    "HOME_RELEASED",
  ];
  for (const person of [demo.usStaff, demo.usStaff2, demo.ukStaff, demo.ukStaff2]) {
    if (!person?.lineManagerId) continue;
    const choices = open.filter(
      (p) =>
        (p.status === "OPEN" || p.status === "CLOSED") &&
        p.eligible.includes(person.instituteId) &&
        perPosting.get(p)! > quota.get(p)! + 1,
    );
    rng.sample(choices, demoStages.length).forEach((p, k) => {
      add(p, person, demoStages[k]!);
      taken.get(p)!.add(person.id);
      perPosting.set(p, perPosting.get(p)! - 1);
    });
  }

  for (const posting of open) {
    const n = perPosting.get(posting)!;
    const pool = posting.eligible.flatMap((id) => candidates.get(id) ?? []);
    const chosen = taken.get(posting)!;
    const accepted = quota.get(posting)!;
    let made = 0;
    for (let k = 0; k < n && chosen.size < pool.length; k++) {
      let applicant = rng.pick(pool);
      while (chosen.has(applicant.id)) applicant = rng.pick(pool);
      chosen.add(applicant.id);
      const status = k < accepted ? "ACCEPTED" : rng.weighted(WEIGHTS[posting.status]);
      if (status === "ACCEPTED") made++;
      add(posting, applicant, status);
    }
    posting.accepted = made;
  }

  // Every stage present, however small the scale: turn a few rejections into the missing stages.
  for (const status of APPLICATION_STATUSES) {
    if (status === "ACCEPTED" || apps.some((a) => a.status === status)) continue;
    const victim = apps.find(
      (a) =>
        a.status === "REJECTED" && (a.posting.status === "OPEN" || a.posting.status === "CLOSED"),
    );
    if (!victim) continue;
    const replacement = apps.length;
    add(victim.posting, victim.applicant, status);
    apps.splice(apps.indexOf(victim), 1, apps[replacement]!);
    apps.pop();
  }

  const bar = phase.bar("applications", apps.length);
  const cv = pdfBytes("curriculum vitae");
  const files: Record<string, unknown>[] = [];
  const rows: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  for (const a of apps) {
    const submitted = a.moves[0]?.at ?? null;
    const created = addDays(submitted ?? a.posting.createdAt, -rng.next() * 3);
    const hasCv = submitted !== null || rng.chance(0.6);
    const cvFileId = hasCv ? newId() : null;
    if (cvFileId)
      files.push({
        id: cvFileId,
        ownerId: a.applicant.id,
        filename: `CV ${a.applicant.displayName}.pdf`.replace(/[^\w .()-]/g, ""),
        createdAt: created.toISOString(),
      });
    const last = a.moves.at(-1)?.at ?? created;
    rows.push({
      id: a.id,
      postingId: a.posting.id,
      applicantId: a.applicant.id,
      lineManagerId: submitted ? a.applicant.lineManagerId : null,
      status: a.status,
      version: a.moves.length,
      statement: rng.pick(STATEMENTS),
      availableFrom: isoDay(a.availableFrom),
      availableUntil: isoDay(addDays(a.availableFrom, a.posting.durationMonths * 30)),
      declaredClearance: rng.pick(["NONE", "BASELINE", "SECURITY_CHECK", "SECURITY_CHECK"]),
      cvFileId,
      submittedAt: submitted?.toISOString() ?? null,
      createdAt: created.toISOString(),
      updatedAt: last.toISOString(),
    });
    let from: ApplicationStatus = "DRAFT";
    for (const m of a.moves) {
      events.push({
        id: newId(),
        applicationId: a.id,
        actorId: m.actorId,
        fromStatus: from,
        toStatus: m.to,
        comment: COMMENTS[m.to] ? rng.pick(COMMENTS[m.to]!) : "",
        createdAt: m.at.toISOString(),
      });
      from = m.to;
    }
  }
  await insertPdfFiles(tx, files, cv);
  await insertRows(
    tx,
    "Application",
    {
      id: "text",
      postingId: "text",
      applicantId: "text",
      lineManagerId: "text",
      status: '"ApplicationStatus"',
      version: "int",
      statement: "text",
      availableFrom: "date",
      availableUntil: "date",
      declaredClearance: '"ClearanceLevel"',
      cvFileId: "text",
      submittedAt: "timestamp(3)",
      createdAt: "timestamp(3)",
      updatedAt: "timestamp(3)",
    },
    rows,
    { bar },
  );
  bar.done(`${files.length} CVs`);
  const eventBar = phase.bar("app. events", events.length);
  await insertRows(
    tx,
    "ApplicationEvent",
    {
      id: "text",
      applicationId: "text",
      actorId: "text",
      fromStatus: '"ApplicationStatus"',
      toStatus: '"ApplicationStatus"',
      comment: "text",
      createdAt: "timestamp(3)",
    },
    events,
    { bar: eventBar },
  );
  eventBar.done();
  const reviews = await generateReviews(phase, apps);
  return { apps, events: events.length, reviews };
}

/**
 * Review assignments for every application that reached review: a panel of host staff per
 * posting (the demo line managers sit on their institute's heavy postings), one to three
 * reviewers each, declarations and scores as far as the application got.
 */
async function generateReviews(phase: Phase, apps: GenApplication[]) {
  const { tx, people, demo, now } = phase;
  const rng = new Random("scale:reviews");
  const panels = new Map<string, PoolPerson[]>();
  const panelOf = (posting: GenPosting) => {
    let panel = panels.get(posting.id);
    if (!panel) {
      const staff = (people.byInstitute.get(posting.hostInstituteId) ?? []).filter(
        (p) => !p.roles.includes("HR"),
      );
      panel = rng.sample(staff, rng.int(3, 5));
      const lead = [demo.usManager, demo.ukManager].find(
        (m) => m?.instituteId === posting.hostInstituteId,
      );
      if (lead && (posting.heavy || rng.chance(0.3)) && !panel.includes(lead)) panel[0] = lead;
      panels.set(posting.id, panel);
    }
    return panel;
  };
  const rows: Record<string, unknown>[] = [];
  for (const a of apps) {
    const review = a.moves.find((m) => m.to === "UNDER_REVIEW");
    if (!review) continue;
    const next = a.moves[a.moves.indexOf(review) + 1]?.at ?? now;
    const decided = a.status !== "UNDER_REVIEW";
    const reviewers = rng.sample(panelOf(a.posting), rng.int(1, 3));
    reviewers.forEach((reviewer, k) => {
      const assignedAt = new Date(
        review.at.getTime() + (next.getTime() - review.at.getTime()) * 0.1,
      );
      const declaredAt = new Date(
        assignedAt.getTime() + (next.getTime() - assignedAt.getTime()) * 0.3,
      );
      const submittedAt = new Date(
        assignedAt.getTime() + (next.getTime() - assignedAt.getTime()) * 0.8,
      );
      const roll = rng.next();
      const declaration =
        k > 0 && roll < 0.06 ? "RECUSED" : !decided && roll < 0.3 ? "PENDING" : "NO_CONFLICT";
      const scored = declaration === "NO_CONFLICT" && (decided || rng.chance(0.5));
      const scores = scored
        ? Object.fromEntries(
            ["expertise", "fit", "contribution", "readiness"].map((key) => [
              key,
              { score: rng.int(1, 4), comment: rng.chance(0.4) ? rng.pick(FEEDBACK) : "" },
            ]),
          )
        : {};
      rows.push({
        id: newId(),
        applicationId: a.id,
        reviewerId: reviewer.id,
        assignedById: a.posting.contactHr.id,
        declaration,
        declaredAt: declaration === "PENDING" ? null : declaredAt.toISOString(),
        scores,
        comment: scored ? rng.pick(FEEDBACK) : "",
        submittedAt: scored ? submittedAt.toISOString() : null,
        createdAt: assignedAt.toISOString(),
      });
    });
  }
  const bar = phase.bar("reviews", rows.length);
  await insertRows(
    tx,
    "ReviewAssignment",
    {
      id: "text",
      applicationId: "text",
      reviewerId: "text",
      assignedById: "text",
      declaration: '"ConflictDeclaration"',
      declaredAt: "timestamp(3)",
      scores: "jsonb",
      comment: "text",
      submittedAt: "timestamp(3)",
      createdAt: "timestamp(3)",
    },
    rows,
    { bar },
  );
  bar.done();
  return rows.length;
}
