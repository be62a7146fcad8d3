import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { connectDatabase, db, disconnectDatabase } from "~/lib/db.server";
import { createSession, sessionCookieName } from "~/lib/session.server";
import { WORK_MODES } from "~/modules/postings/schema";

// Run by scripts/bench/run.ts in a child process, before the server starts (PGlite allows one
// process per data directory): counts what the database holds, picks real records for every
// benchmarked page, and opens a session for each user the benchmark acts as.
// Usage: tsx scripts/bench/inspect.ts <out.json> [--sessions]
//        (DATA_DIR or DATABASE_URL names the database)
//
// Sessions are made with the app's own createSession, exactly as a sign-in makes them (MFA
// counted as done, as after the second step), because the HR users sign in with a TOTP code.
// Each is an ordinary session row: the server validates it on every request like any other.

export type Counts = {
  institutes: number;
  users: number;
  profiles: number;
  postings: number;
  applications: number;
  reviews: number;
  placements: number;
  checklistItems: number;
  workspaces: number;
  pageVersions: number;
  tasks: number;
  auditEvents: number;
  notifications: number;
};

export type Persona = { role: string; email: string; cookie: string };

export type PageSet = {
  /** Who requests these pages. */
  persona: string;
  paths: string[];
  /** What the records are, for the report. */
  note: string;
};

export type Inventory = {
  counts: Counts;
  profiles: number;
  institutes: { id: string; code: string }[];
  expertise: { id: string; name: string }[];
  locations: string[];
  names: string[];
  personas: Record<string, Persona>;
  pages: Partial<Record<PageKey, PageSet>>;
};

export type PageKey =
  | "postings"
  | "pipeline"
  | "application"
  | "placement"
  | "workspace"
  | "page"
  | "history"
  | "dashboard"
  | "notifications";

const out = process.argv[2];
if (!out) throw new Error("usage: tsx scripts/bench/inspect.ts <out.json> [--sessions]");
const withSessions = process.argv.includes("--sessions");

const n = async (sql: string, ...params: unknown[]) =>
  ((await db.$queryRawUnsafe<{ n: number }[]>(sql, ...params))[0]?.n ?? 0) as number;

async function counts(): Promise<Counts> {
  const c = (table: string) => n(`SELECT count(*)::int AS n FROM "${table}"`);
  return {
    institutes: await c("Institute"),
    users: await c("User"),
    profiles: await c("Profile"),
    postings: await c("Posting"),
    applications: await c("Application"),
    reviews: await c("ReviewAssignment"),
    placements: await c("Placement"),
    checklistItems: await c("ChecklistItem"),
    workspaces: await c("Workspace"),
    pageVersions: await c("PageVersion"),
    tasks: await c("WorkspaceTask"),
    auditEvents: await c("AuditEvent"),
    notifications: await c("Notification"),
  };
}

type Row = Record<string, unknown>;

/**
 * A user the benchmark can act as: active, and either staff only or with MFA set up (HR and
 * admins without it are sent to enrol before they can see anything).
 */
const USABLE = (userId: string) =>
  `EXISTS (SELECT 1 FROM "User" x WHERE x.id = ${userId} AND x."deactivatedAt" IS NULL
     AND (x.roles = ARRAY['STAFF']::"Role"[]
          OR EXISTS (SELECT 1 FROM "MfaSecret" m WHERE m."userId" = x.id AND m."confirmedAt" IS NOT NULL)))`;
const rows = <T extends Row>(sql: string, ...params: unknown[]) =>
  db.$queryRawUnsafe<T[]>(sql, ...params);

async function directoryValues() {
  const institutes = await db.institute.findMany({
    select: { id: true, code: true },
    orderBy: { code: "asc" },
  });
  const expertise = await db.expertiseArea.findMany({
    where: { retiredAt: null },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  const locations = await db.profile.groupBy({
    by: ["location"],
    where: { location: { not: "" } },
    _count: { _all: true },
    orderBy: { _count: { location: "desc" } },
    take: 10,
  });
  // An even spread of real names across the table, for name, partial-name and typo queries.
  const names = await rows<{ displayName: string }>(
    `SELECT u."displayName" FROM "Profile" p JOIN "User" u ON u."id" = p."userId"
     WHERE u."deactivatedAt" IS NULL ORDER BY md5(u."id") LIMIT 12`,
  );
  return {
    institutes,
    expertise,
    locations: locations.map((l) => l.location),
    names: names.map((r) => r.displayName),
  };
}

/**
 * Picks the records each page is measured on: the busiest ones, so that the figures are for the
 * pages that show the most data, not the average one.
 */
async function pickPages(institutes: { id: string; code: string }[]) {
  const users: Record<string, { id: string; email: string; role: string }> = {};
  const pages: Inventory["pages"] = {};
  const user = async (key: string, id: string, role: string) => {
    const u = await db.user.findUniqueOrThrow({ where: { id }, select: { id: true, email: true } });
    users[key] = { ...u, role };
    return key;
  };

  // A staff member who is not HR, for the directory and the postings list.
  const [staff] = await rows<{ id: string }>(
    `SELECT id FROM "User" WHERE roles = ARRAY['STAFF']::"Role"[] AND "deactivatedAt" IS NULL
     ORDER BY (email = 'sam.okafor@us-aisi.example') DESC, email LIMIT 1`,
  );
  if (staff) await user("staff", staff.id, "STAFF");

  // An HR user of the institute hosting the most applications (given MFA below if they have not
  // enrolled yet: HR must have it before they see any page).
  const [hr] = await rows<{ id: string; instituteId: string }>(
    `SELECT u.id, u."instituteId" FROM "User" u
     WHERE 'HR' = ANY(u.roles) AND u."deactivatedAt" IS NULL
     ORDER BY (SELECT count(*) FROM "Application" a JOIN "Posting" p ON p.id = a."postingId"
               WHERE p."hostInstituteId" = u."instituteId") DESC, u.email LIMIT 1`,
  );
  const host = hr ? { id: hr.instituteId } : undefined;
  if (host && hr) {
    await user("hr", hr.id, "HR");
    const postings = await rows<{ id: string; n: number }>(
      `SELECT a."postingId" AS id, count(*)::int AS n FROM "Application" a
       JOIN "Posting" p ON p.id = a."postingId" WHERE p."hostInstituteId" = $1
       GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
      host.id,
    );
    pages.pipeline = {
      persona: "hr",
      paths: postings.map((p) => `/postings/${p.id}/pipeline`),
      note: `the ${postings.length} postings of the busiest host institute with the most applications (${postings.at(-1)?.n}–${postings[0]?.n} each)`,
    };
    const applications = await rows<{ id: string; events: number; reviews: number }>(
      `SELECT a.id,
         (SELECT count(*)::int FROM "ApplicationEvent" e WHERE e."applicationId" = a.id) AS events,
         (SELECT count(*)::int FROM "ReviewAssignment" r WHERE r."applicationId" = a.id) AS reviews
       FROM "Application" a JOIN "Posting" p ON p.id = a."postingId"
       WHERE p."hostInstituteId" = $1 AND a.status <> 'DRAFT'
       ORDER BY reviews DESC, events DESC, a.id LIMIT 20`,
      host.id,
    );
    pages.application = {
      persona: "hr",
      paths: applications.map((a) => `/applications/${a.id}`),
      note: `${applications.length} submitted applications to that institute with the most reviews and history (${applications.at(-1)?.events}–${applications[0]?.events} events, up to ${applications[0]?.reviews} reviews)`,
    };
    const placements = await rows<{ id: string; items: number }>(
      `SELECT pl.id, count(ci.id)::int AS items FROM "Placement" pl
       LEFT JOIN "ChecklistItem" ci ON ci."placementId" = pl.id
       WHERE pl."hostInstituteId" = $1 GROUP BY pl.id ORDER BY 2 DESC, pl.id LIMIT 20`,
      host.id,
    );
    pages.placement = {
      persona: "hr",
      paths: placements.map((p) => `/placements/${p.id}`),
      note: `${placements.length} placements hosted there, with ${placements.at(-1)?.items}–${placements[0]?.items} checklist items each`,
    };
    // The whole institute, each busy posting, and date ranges: the views HR would switch between.
    const year = new Date().getUTCFullYear();
    pages.dashboard = {
      persona: "hr",
      paths: [
        "/dashboard",
        ...postings.slice(0, 5).map((p) => `/dashboard?postingId=${p.id}`),
        `/dashboard?from=${year - 1}-01-01&to=${year - 1}-12-31`,
        `/dashboard?from=${year}-01-01`,
      ],
      note: "HR of that institute: the whole institute, 5 of its busiest postings, two date ranges",
    };
  }

  if (staff) {
    const code = (i: number) => institutes[i % institutes.length]?.code ?? "US-AISI";
    const areas = await rows<{ id: string }>(
      `SELECT id FROM "ExpertiseArea" WHERE "retiredAt" IS NULL ORDER BY name LIMIT 4`,
    );
    const filters = [
      "",
      "?q=evaluation",
      "?q=safety",
      `?institute=${code(0)}`,
      `?institute=${code(1)}&workMode=${WORK_MODES[1]}`,
      `?workMode=${WORK_MODES[2]}`,
      "?duration=short",
      "?duration=long&workMode=ON_SITE",
      ...areas.map((a) => `?expertise=${a.id}`),
      `?startFrom=2027-01-01&startTo=2027-12-31`,
      `?q=model&institute=${code(1)}`,
      "?page=2",
      "?page=3",
    ];
    pages.postings = {
      persona: "staff",
      paths: filters.map((f) => `/postings${f}`),
      note: `${filters.length} filter combinations: none, words, institute, work mode, duration, expertise, start dates, combined, pages 2 and 3`,
    };
  }

  // The member of the most workspaces, on each of their workspaces' home.
  const [member] = await rows<{ id: string }>(
    `SELECT "userId" AS id FROM "WorkspaceMember" WHERE ${USABLE('"userId"')}
     GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  if (member) {
    await user("member", member.id, "workspace member");
    const spaces = await rows<{ id: string; pages: number }>(
      `SELECT m."workspaceId" AS id,
         (SELECT count(*)::int FROM "WorkspacePage" p WHERE p."workspaceId" = m."workspaceId") AS pages
       FROM "WorkspaceMember" m WHERE m."userId" = $1 ORDER BY pages DESC, id LIMIT 20`,
      member.id,
    );
    pages.workspace = {
      persona: "member",
      paths: spaces.map((s) => `/workspaces/${s.id}`),
      note: `the ${spaces.length} workspaces of the member of the most workspaces (${spaces.at(-1)?.pages}–${spaces[0]?.pages} pages each)`,
    };
  }

  // Pages with at least 50 versions, read by a member of their workspace.
  const long = await rows<{ id: string; workspaceId: string; versions: number }>(
    `SELECT p.id, p."workspaceId", count(v.id)::int AS versions FROM "WorkspacePage" p
     JOIN "PageVersion" v ON v."pageId" = p.id GROUP BY p.id HAVING count(v.id) >= 50
     ORDER BY abs(count(v.id) - 50), p.id LIMIT 40`,
  );
  if (long.length > 0) {
    const [reader] = await rows<{ id: string }>(
      `SELECT "userId" AS id FROM "WorkspaceMember" WHERE "workspaceId" = $1 AND ${USABLE('"userId"')}
       ORDER BY (role = 'EDITOR') DESC, "userId" LIMIT 1`,
      long[0]!.workspaceId,
    );
    if (reader) {
      await user("reader", reader.id, "workspace member");
      const theirs = await rows<{ id: string }>(
        `SELECT "workspaceId" AS id FROM "WorkspaceMember" WHERE "userId" = $1`,
        reader.id,
      );
      const mine = new Set(theirs.map((t) => t.id));
      const readable = long.filter((p) => mine.has(p.workspaceId)).slice(0, 10);
      const note = `${readable.length} pages with ${Math.min(...readable.map((p) => p.versions))}–${Math.max(...readable.map((p) => p.versions))} versions`;
      pages.page = {
        persona: "reader",
        paths: readable.map((p) => `/workspaces/${p.workspaceId}/pages/${p.id}`),
        note,
      };
      pages.history = {
        persona: "reader",
        paths: readable.map((p) => `/workspaces/${p.workspaceId}/pages/${p.id}/history`),
        note: `${note}: the history, with the difference between the last two`,
      };
    }
  }

  // The person with the most notifications.
  const [reader] = await rows<{ id: string; n: number }>(
    `SELECT "userId" AS id, count(*)::int AS n FROM "Notification" WHERE ${USABLE('"userId"')}
     GROUP BY 1 ORDER BY 2 DESC LIMIT 1`,
  );
  if (reader) {
    await user("notified", reader.id, "any (their own notifications)");
    pages.notifications = {
      persona: "notified",
      paths: ["/notifications", "/notifications?page=2", "/notifications?page=3"],
      note: `the person with the most notifications (${reader.n}), pages 1–3`,
    };
  }
  return { users, pages };
}

await connectDatabase();
try {
  const values = await directoryValues();
  const picked = await pickPages(values.institutes);
  const personas: Inventory["personas"] = {};
  if (withSessions) {
    for (const [key, u] of Object.entries(picked.users)) {
      if (u.role === "HR") {
        // As if they had finished enrolment (the key is random and never used: the session
        // below counts the second step as done, as a sign-in with a code would).
        await db.mfaSecret.upsert({
          where: { userId: u.id },
          create: { userId: u.id, key: randomBytes(20), confirmedAt: new Date() },
          update: { confirmedAt: new Date() },
        });
      }
      const { token } = await createSession(u.id, {
        mfaVerified: true,
        userAgent: "npm run bench",
      });
      personas[key] = { role: u.role, email: u.email, cookie: `${sessionCookieName()}=${token}` };
    }
  }
  const c = await counts();
  const inventory: Inventory = {
    counts: c,
    profiles: c.profiles,
    ...values,
    personas,
    pages: picked.pages,
  };
  fs.writeFileSync(out, JSON.stringify(inventory, null, 2));
} finally {
  await disconnectDatabase();
}
