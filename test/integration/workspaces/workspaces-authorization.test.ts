import { readdirSync, readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { getRegistration } from "~/modules/workspaces/registrations.server";
import * as placementPage from "~/routes/placements/placements.$placementId";
import { call, get } from "#test/support/route-harness";
import {
  attempt,
  cookieFor,
  dataOf,
  type Entry,
  invoke,
  type Invoked,
  LABELS,
  type LabelWorld,
  OTHER_FILES,
  outcomeOf,
  pageVersion,
  type Persona,
  placementId,
  ROUTE_FILES,
  AREA_DIR,
  routeFileUrl,
  run,
  setUpLabelWorlds,
  state,
  tally,
  w,
  worlds,
} from "#test/support/workspaces-authorization/world";
import { ENTRIES } from "#test/support/workspaces-authorization/entries";

// The label enforcement matrix of the workspaces area: every route module of the area (loader, and
// action with each intent it accepts), called as the server calls it with a real session cookie,
// for each label (JOINT, US-only, UK-only) and each kind of person: the workspace's owner, editor
// and viewer; staff and HR of every institute who are not members; the admin; and, for the
// one-institute labels, a member and an invitee who have since moved to another institute. Whoever
// may not know the workspace gets a 404 and learns nothing of it; a member whose role lacks the
// right gets a 403; neither changes anything. Every refused request carries data that would
// succeed if the check were missing, so each expectation can fail.

setUpLabelWorlds();

// --- the tests ----------------------------------------------------------------------------------

/** The intents a route's action accepts, read from its source. */
function intentsIn(file: string) {
  const source = readFileSync(routeFileUrl(file), "utf8");
  const action = source.slice(source.indexOf("export async function action"));
  if (!source.includes("export async function action")) return [];
  const found = new Set<string>();
  for (const m of action.matchAll(/case "([\w-]+)":|intent === "([\w-]+)"/g))
    found.add((m[1] ?? m[2])!);
  return [...found].sort();
}

test("the matrix declares every route file of the area, its loader, its action and each intent", () => {
  const onDisk = readdirSync(AREA_DIR)
    .filter((f) => /^workspaces\./.test(f))
    .sort();
  expect(onDisk.length).toBeGreaterThan(0);
  expect(onDisk).toEqual(Object.keys(ROUTE_FILES).sort());
  const table = ENTRIES;
  const missing: string[] = [];
  // The placement page is checked below for its two workspace intents only; its loader's "Host
  // workspaces" section has a test of its own.
  const modules = { ...ROUTE_FILES, "tasks._index.tsx": OTHER_FILES["tasks._index.tsx"]! };
  for (const [file, mod] of Object.entries(modules)) {
    const mine = table.filter((e) => e.file === file);
    if ("loader" in mod && !mine.some((e) => e.kind === "loader")) missing.push(`${file} loader`);
    if (!("action" in mod)) continue;
    const intents = intentsIn(file);
    if (!intents.length && !mine.some((e) => e.kind === "action")) missing.push(`${file} action`);
    for (const intent of intents)
      if (!mine.some((e) => e.kind === "action" && e.intent === intent))
        missing.push(`${file} action intent "${intent}"`);
  }
  // The placement page: the two intents of its "Host workspaces" section.
  for (const intent of intentsIn("placements.$placementId.tsx").filter((i) =>
    i.includes("workspace"),
  ))
    if (!table.some((e) => e.file === "placements.$placementId.tsx" && e.intent === intent))
      missing.push(`placements.$placementId.tsx action intent "${intent}"`);
  for (const e of table)
    if (e.kind === "action" && (!e.fields || !e.tamper?.(worlds.JOINT).length))
      missing.push(`${e.name}: no form, or no attempt on the registration`);
  expect(missing).toEqual([]);
});

async function runMatrix(L: LabelWorld) {
  const problems: string[] = [];
  const leak = (r: Invoked, p: Persona) =>
    !p.role && r.text.toLowerCase().includes(L.codeword.toLowerCase());
  const once = async (e: Entry, p: Persona) => {
    tally.cells += 1;
    const fields = e.kind === "action" ? await e.fields!({ L, p }) : undefined;
    const before = e.kind === "action" ? await state() : "";
    const r = await invoke(() => run(e, { L, p }, fields));
    const changed = e.kind === "action" && (await state()) !== before;
    if (leak(r, p))
      problems.push(`${e.name} as ${p.key}: the answer shows the workspace's content`);
    return { r, got: outcomeOf(r), changed };
  };

  // First everything that must be refused, each checked to change nothing.
  for (const e of ENTRIES)
    for (const p of L.personas) {
      const expected = e.expect({ L, p });
      if (expected === "ok" || expected === "skip") continue;
      const { got, changed } = await once(e, p);
      if (got !== expected)
        problems.push(`${e.name} as ${p.key}: expected ${expected}, got ${got}`);
      if (changed) problems.push(`${e.name} as ${p.key} (${got}): the data changed`);
    }
  // Then what is allowed, with what the answer must show.
  for (const e of ENTRIES)
    for (const p of L.personas) {
      if (e.expect({ L, p }) !== "ok") continue;
      const { r, got } = await once(e, p);
      if (got !== "ok") problems.push(`${e.name} as ${p.key}: expected ok, got ${got}`);
      else
        for (const problem of (await e.check?.(r, { L, p })) ?? [])
          problems.push(`${e.name} as ${p.key}: ${problem}`);
    }
  return problems;
}

for (const label of LABELS)
  test(`label ${label}: every route, every person`, async () => {
    const L = worlds[label];
    // The moved member really is still in the table, with a task: only the label keeps them out.
    if (L.restrictedTo) {
      const moved = L.personas.find((p) => p.key === "movedOut")!;
      expect(
        await db.workspaceMember.count({
          where: { workspaceId: L.workspaceId, userId: moved.actor.id },
        }),
      ).toBe(1);
      expect(
        await db.workspaceTask.count({
          where: { workspaceId: L.workspaceId, assigneeId: moved.actor.id },
        }),
      ).toBe(1);
    }
    expect(await runMatrix(L)).toEqual([]);
  }, 120_000);

test("the placement's host workspaces name only workspaces the viewer is in", async () => {
  const J = worlds.JOINT;
  const codewords = LABELS.map((l) => worlds[l].codeword.toLowerCase());
  const problems: string[] = [];
  const view = async (actor: Actor) => {
    const cookie = await cookieFor(actor);
    return invoke(() =>
      call(placementPage.loader, get(`/placements/${placementId}`, cookie), { placementId }),
    );
  };
  // The parties of the placement who are not in the workspace: it is counted, never named.
  for (const [who, actor] of [
    ["host HR", w.hostHr],
    ["home HR", w.homeHr],
    ["secondee", w.applicant],
    ["line manager", w.manager],
  ] as const) {
    const r = await view(actor);
    if (r.status !== 200) {
      problems.push(`${who}: status ${r.status}`);
      continue;
    }
    const shown = dataOf<{ workspaces: { hiddenCount: number; linked: unknown[] } }>(r).workspaces;
    if (shown.hiddenCount !== 1 || shown.linked.length !== 0)
      problems.push(`${who}: ${JSON.stringify(shown)}`);
    for (const word of codewords)
      if (r.text.toLowerCase().includes(word)) problems.push(`${who} sees "${word}"`);
  }
  // The supervisor owns it: named, and the one-institute workspaces (not theirs) are not offered.
  const r = await view(J.members.owner);
  expect(r.status).toBe(200);
  expect(r.text).toContain(J.name);
  for (const l of ["US-ONLY", "UK-ONLY"] as const)
    if (r.text.includes(worlds[l].codeword)) problems.push(`supervisor sees ${l}`);
  expect(problems).toEqual([]);
});

test("no route changes a registration, whatever the owner posts", async () => {
  const problems: string[] = [];
  const table = ENTRIES.filter((e) => e.kind === "action");
  for (const label of LABELS) {
    const L = worlds[label];
    const owner = L.personas.find((p) => p.key === "owner")!;
    const raw = () =>
      db.$queryRaw<unknown[]>`
        SELECT id, "workspaceId", title, "registeredById", "registeredAt"::text AS "registeredAt",
          snapshot::text AS snapshot, "contentHash"
        FROM "FindingsRegistration" WHERE id = ${L.registrationId}`.then((rows) =>
        JSON.stringify(rows),
      );
    const before = await raw();
    expect(before).toContain(L.codeword);
    for (const e of table)
      for (const t of e.tamper!(L)) {
        const r = await invoke(attempt(e, L, owner, t));
        const got = outcomeOf(r);
        if (r.threw || r.status >= 500) problems.push(`${label} ${e.name}, ${t.why}: ${got}`);
        if (e.file === "workspaces.$workspaceId.registrations.$registrationId.tsx") {
          const message = JSON.stringify(dataOf(r));
          if (r.status !== 405 || !/cannot be changed/.test(message))
            problems.push(
              `${label} ${t.why}: expected 405 with a message, got ${r.status} ${message}`,
            );
        }
        if ((await raw()) !== before) {
          problems.push(`${label} ${e.name}, ${t.why}: the registration row changed`);
          break;
        }
      }
    const registration = await getRegistration(L.members.owner, L.workspaceId, L.registrationId);
    expect(registration.intact).toBe(true);
    // The registered page has moved on; the registration still holds version 2 as it was.
    expect(await pageVersion(L.pageId)).toBeGreaterThan(2);
    expect(registration.pages.map((p) => [p.pageId, p.version, p.body])).toEqual([
      [L.pageId, 2, L.pageBody],
    ]);
  }
  expect(problems).toEqual([]);
}, 120_000);

test("summary", () => {
  const files = new Set(ENTRIES.map((e) => e.file)).size;
  const personas = LABELS.map((l) => `${worlds[l].personas.length} (${l})`).join(" + ");
  const possible = LABELS.reduce((n, l) => n + worlds[l].personas.length, 0) * ENTRIES.length;
  console.log(
    `workspaces label matrix: ${ENTRIES.length} loaders/actions/intents of ${files} route files ` +
      `x personas ${personas} = ${possible} cells, ${tally.cells} run (the rest allowed, shown ` +
      `elsewhere); ${tally.calls} route calls in all, with the registration attempts`,
  );
  expect(tally.cells).toBeGreaterThan(possible * 0.9);
});
