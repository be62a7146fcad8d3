// Seeds a database for the whole-system tests: two institutes, people who write (applicants with a
// line manager, a host HR coordinator, workspace owners), open postings, placements whose checklists
// HR can work through, and a workspace page per editor. Run by harness.seedTarget as its own
// process, before a server opens the database (PGlite: one process per data directory):
//   DATA_DIR=/tmp/x SYSTEM_STATE_FILE=/tmp/x.json npx tsx test/system/seed.ts
//   DATABASE_URL=postgresql://... SYSTEM_STATE_FILE=/tmp/x.json npx tsx test/system/seed.ts
// Sizes: SYSTEM_APPLICANTS, SYSTEM_POSTINGS, SYSTEM_PLACEMENTS, SYSTEM_ITEMS, SYSTEM_EDITORS.
import fs from "node:fs";
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { connectDatabase, db, disconnectDatabase } from "~/lib/db.server";
import { hashPassword } from "~/lib/password.server";
import type { Actor } from "~/lib/permissions";
import { createPage } from "~/modules/workspaces/pages.server";
import { PageSchema, WorkspaceSchema } from "~/modules/workspaces/schema";
import { createWorkspace } from "~/modules/workspaces/workspaces.server";
import { ensureInstitute, ensureUser, UK_AISI, US_AISI } from "../factories";
import { ensureDemoPosting } from "../factories/pipeline";
import { ensureTaxonomy } from "../factories/taxonomy";
import type { SystemState } from "./harness";

const stateFile = process.env.SYSTEM_STATE_FILE;
if (!stateFile) throw new Error("SYSTEM_STATE_FILE must be set (and DATA_DIR or DATABASE_URL)");
const size = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const PASSWORD = "system-test-password-2026";

await connectDatabase();
try {
  const us = await ensureInstitute(db, US_AISI);
  const uk = await ensureInstitute(db, UK_AISI);
  const taxonomy = await ensureTaxonomy(db);

  // One hash for everyone: hashing is deliberately slow, and the seed makes many people.
  const hash = await hashPassword(PASSWORD);
  const withPassword = async <U extends { id: string }>(user: U) => {
    await db.password.upsert({
      where: { userId: user.id },
      create: { userId: user.id, hash },
      update: { hash },
    });
    return user;
  };

  const actor = (u: { id: string; email: string; roles: string[]; instituteId: string }): Actor =>
    ({ id: u.id, email: u.email, roles: u.roles, instituteId: u.instituteId }) as Actor;

  const hr = await withPassword(
    await ensureUser(db, {
      email: "system.hr@us-aisi.example",
      displayName: "Sam Hostcoordinator",
      instituteId: us.id,
      roles: ["HR"],
      mfaKey: true,
    }),
  );
  const manager = await withPassword(
    await ensureUser(db, {
      email: "system.manager@uk-aisi.example",
      displayName: "Mina Manager",
      instituteId: uk.id,
    }),
  );

  const applicants = [];
  for (let i = 0; i < size("SYSTEM_APPLICANTS", 4); i++) {
    const u = await withPassword(
      await ensureUser(db, {
        email: `system.applicant${i}@uk-aisi.example`,
        displayName: `Applicant Number${i}`,
        instituteId: uk.id,
        lineManagerId: manager.id,
      }),
    );
    applicants.push({ email: u.email, id: u.id, displayName: u.displayName });
  }

  const postingIds: string[] = [];
  const posting = (title: string, extra: Partial<Parameters<typeof ensureDemoPosting>[1]>) =>
    ensureDemoPosting(
      db,
      {
        title,
        team: "Evaluations",
        description: "A posting for the whole-system tests.",
        host: { id: us.id, timeZone: us.timeZone },
        eligible: [uk],
        contactHrId: hr.id,
        required: ["Evaluations"],
        minClearance: "NONE",
        workMode: "ON_SITE",
        location: "Washington DC",
        durationMonths: 6,
        places: 50,
        deadlineInDays: 30,
        status: "OPEN",
        ...extra,
      },
      taxonomy,
      hr,
    );
  for (let i = 0; i < size("SYSTEM_POSTINGS", 60); i++)
    postingIds.push(await posting(`System test posting ${i}`, {}));

  const placements: SystemState["placements"] = [];
  for (let i = 0; i < size("SYSTEM_PLACEMENTS", 2); i++) {
    const secondee = await withPassword(
      await ensureUser(db, {
        email: `system.secondee${i}@uk-aisi.example`,
        displayName: `Secondee Number${i}`,
        instituteId: uk.id,
        lineManagerId: manager.id,
      }),
    );
    const postingId = await posting(`System test placement ${i}`, {
      places: 1,
      status: "FILLED",
      applications: [{ applicant: secondee, status: "ACCEPTED" }],
    });
    const placement = await db.placement.findFirstOrThrow({ where: { postingId } });
    // Items without dependencies and with attested evidence, so that HR can cycle each one
    // (TODO, IN_PROGRESS, DONE with who verified it, reopened to TODO) for as long as the load runs.
    await db.checklistItem.deleteMany({ where: { placementId: placement.id } });
    const itemIds: string[] = [];
    for (let n = 0; n < size("SYSTEM_ITEMS", 4); n++) {
      const item = await db.checklistItem.create({
        data: {
          placementId: placement.id,
          position: n,
          title: `System check ${n}`,
          ownerSide: "HOST",
          dueOffsetDays: n,
          evidenceKind: "ATTESTATION",
        },
        select: { id: true },
      });
      itemIds.push(item.id);
    }
    placements.push({ id: placement.id, itemIds });
  }

  const editors: SystemState["editors"] = [];
  for (let i = 0; i < size("SYSTEM_EDITORS", 2); i++) {
    const u = await withPassword(
      await ensureUser(db, {
        email: `system.editor${i}@us-aisi.example`,
        displayName: `Editor Number${i}`,
        instituteId: us.id,
      }),
    );
    const owner = actor(u);
    const created = await createWorkspace(
      owner,
      WorkspaceSchema.parse({
        name: `System test workspace ${i}`,
        purpose: "Pages edited under load.",
        label: "JOINT",
        marking: "OFFICIAL",
        template: "GENERAL",
      }),
    );
    if (!created.ok) throw new Error(`workspace: ${JSON.stringify(created.errors)}`);
    const page = await createPage(
      owner,
      created.workspaceId,
      PageSchema.parse({ title: `Notes ${i}`, body: "Started." }),
    );
    if (!page.ok) throw new Error(`page: ${JSON.stringify(page.errors)}`);
    editors.push({
      email: u.email,
      id: u.id,
      displayName: u.displayName,
      workspaceId: created.workspaceId,
      pageId: page.pageId,
    });
  }

  const state: SystemState = {
    password: PASSWORD,
    hr: {
      email: hr.email,
      id: hr.id,
      displayName: hr.displayName,
      mfaKey: encodeBase32UpperCaseNoPadding(hr.mfaKey!),
    },
    manager: { email: manager.email, id: manager.id, displayName: manager.displayName },
    applicants,
    postingIds,
    placements,
    editors,
  };
  fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
  console.log(
    `system seed: ${applicants.length} applicants, ${postingIds.length} postings, ${placements.length} placements, ${editors.length} editors`,
  );
} finally {
  await disconnectDatabase();
}
