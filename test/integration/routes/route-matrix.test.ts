import { beforeAll, expect, test } from "vitest";
import {
  APP_DIR,
  countChanges,
  createMatrixWorld,
  manifestRoutes,
  PERSONA_KEYS,
  renewSession,
  tableCounts,
  tokenOf,
  type ManifestRoute,
  type Persona,
  type PersonaKey,
} from "#test/support/route-matrix/world";
import {
  type ActionSpec,
  type Case,
  type Outcome,
  personas,
  useMatrixWorld,
  w,
} from "#test/support/route-matrix/cases";
import {
  type Answer,
  invoke,
  isSuccess,
  matches,
  outcomeOf,
  type RouteModule,
  urlFor,
} from "#test/support/route-matrix/calls";
import { turnOfTheLoop } from "#test/support/event-loop";
import { declarations } from "#test/support/route-matrix/declarations";

// The route-complete authorisation matrix. Every route Remix knows (read from app/routes.ts, the
// same flatRoutes() config the build uses, plus the root), its loader and its action, called as the
// server calls them with a real session cookie, by every persona: the anonymous visitor, a person
// half-way through signing in (second factor pending), staff of each institute, an applicant and
// their line manager, a reviewer, HR of each institute, the owner, editor and viewer of a JOINT,
// a US-only and a UK-only workspace, and an admin.
//
// - Each route declares, per loader and per action, what each persona gets. A route without a
//   declaration, a declaration of a route that is gone, a loader or action declared but absent
//   (or present but undeclared) fails the first test.
// - Each private record of the world carries a codeword, with the personas allowed to see it. Any
//   answer (data, file, CSV, redirect) holding a codeword its persona may not see fails; so does a
//   codeword never shown to one of the personas said to be allowed (the lists are kept exact).
//   Ids of private records, each persona's session token and session list, and password hashes
//   are secrets too; a few pages also declare strings they must not (or must) show, e.g. that the
//   applicant is never "similar" or "suggested" by fields the viewer may not see.
// - Every action that must be refused is checked to leave the row count of every table unchanged.
//   They run before any action that may succeed; those run last, in a form whose effects no later
//   call depends on (chosen per route below).

let routes: ManifestRoute[];

const modules = new Map<string, RouteModule>();
let DECLS: Record<string, Case[]>;

// --- what is tallied and checked on every answer --------------------------------------------------

type Cell = { loader: Set<string>; action: Set<string>; calls: number };
const cells = new Map<string, Map<PersonaKey, Cell>>();
const tally = { loaderCalls: 0, actionCalls: 0, refusedChecked: 0, allowed: 0 };
/** Per secret: the allowed personas who were shown it somewhere. */
const seen = new Map<string, Set<PersonaKey>>();

const CODES: Record<string, string> = {
  ok: "o",
  login: "l",
  mfa: "m",
  "400": "0",
  "403": "3",
  "404": "4",
  "405": "5",
  "409": "9",
  "410": "g",
};
const code = (o: Outcome) => CODES[o] ?? (o.startsWith("to:") ? "r" : "X");

function record(routeId: string, p: Persona, kind: "loader" | "action", got: Outcome) {
  let row = cells.get(routeId);
  if (!row) cells.set(routeId, (row = new Map()));
  let cell = row.get(p.key);
  if (!cell) row.set(p.key, (cell = { loader: new Set(), action: new Set(), calls: 0 }));
  cell[kind].add(code(got));
  cell.calls += 1;
  if (kind === "loader") tally.loaderCalls += 1;
  else tally.actionCalls += 1;
}

/** Every secret in the answer that this persona may not see, here. */
function leaksIn(a: Answer, p: Persona, c: Case): string[] {
  const byDesign = new Set(c.alsoShows?.(p) ?? []);
  const found: string[] = [];
  for (const s of w.secrets) {
    if (!s.pattern.test(a.text)) continue;
    if (s.allowed.has(p.key)) seen.get(s.name)!.add(p.key);
    else if (!byDesign.has(s.name)) found.push(`${s.what} ("${s.word}")`);
  }
  for (const q of personas())
    if (q.key !== p.key && q.cookie && a.text.includes(tokenOf(q)))
      found.push(`${q.key}'s session token`);
  for (const f of c.forbid?.(p) ?? []) if (a.text.includes(f.text)) found.push(f.what);
  return found;
}

type Check = {
  route: ManifestRoute;
  c: Case;
  p: Persona;
  kind: "loader" | "action";
  expected: Outcome;
};

/** Calls one loader or action as one persona; returns what was wrong with the answer. */
async function check({ route, c, p, kind, expected }: Check): Promise<string[]> {
  // One test calls every route: let the event loop turn between calls (see event-loop.ts).
  await turnOfTheLoop();
  const mod = modules.get(route.id)!;
  const { url, params } = urlFor(route, c);
  const a = await invoke(
    mod[kind]!,
    p,
    url,
    params,
    kind === "action" ? c.action!.form(p) : undefined,
  );
  const got = outcomeOf(a);
  record(route.id, p, kind, got);
  const where = `${route.id}${c.name ? ` [${c.name}]` : ""} ${kind} as ${p.key}`;
  const problems: string[] = [];
  if (!matches(expected, got)) problems.push(`${where}: expected ${expected}, got ${got}`);
  for (const leak of leaksIn(a, p, c)) problems.push(`${where}: shows ${leak}`);
  for (const m of c.mustShow?.(p) ?? [])
    if (!a.text.includes(m.text)) problems.push(`${where}: does not show ${m.what}`);
  if (kind === "action" && c.action!.endsSession) await renewSession(p);
  return problems;
}

const routeCases = function* () {
  for (const route of [...routes].sort((a, b) => a.id.localeCompare(b.id)))
    for (const c of DECLS[route.id] ?? []) yield { route, c };
};

beforeAll(async () => {
  useMatrixWorld(await createMatrixWorld());
  routes = await manifestRoutes();
  DECLS = declarations();
  for (const s of w.secrets) seen.set(s.name, new Set());
  for (const route of routes)
    modules.set(
      route.id,
      (await import(/* @vite-ignore */ `${APP_DIR}/${route.file}`)) as RouteModule,
    );
}, 120_000);

// --- the tests ----------------------------------------------------------------------------------

test("every route of the app is declared, and every declaration is a route of the app", () => {
  expect(routes.length).toBeGreaterThan(50);
  const ids = routes.map((r) => r.id);
  const undeclared = ids.filter((id) => !(id in DECLS));
  const gone = Object.keys(DECLS).filter((id) => !ids.includes(id));
  const problems = [
    ...undeclared.map((id) => `${id} (${routes.find((r) => r.id === id)!.file}): no declaration`),
    ...gone.map((id) => `${id}: declared, but the app has no such route`),
  ];
  for (const route of routes) {
    const mod = modules.get(route.id)!;
    const cases = DECLS[route.id] ?? [];
    for (const kind of ["loader", "action"] as const) {
      const declared = cases.some((c) => c[kind]);
      if (typeof mod[kind] === "function" && !declared)
        problems.push(`${route.id}: its ${kind} has no expected outcomes`);
      if (typeof mod[kind] !== "function" && declared)
        problems.push(`${route.id}: declares a ${kind}, but the module exports none`);
    }
    for (const c of cases) {
      try {
        urlFor(route, c);
      } catch (error) {
        problems.push(String(error));
      }
      for (const p of personas())
        for (const name of c.alsoShows?.(p) ?? [])
          if (!w.secrets.some((s) => s.name === name))
            problems.push(`${route.id}: shows "${name}" by design, but no secret has that name`);
    }
  }
  expect(problems).toEqual([]);
});

test("every loader, as every persona: the declared outcome, and nothing it may not see", async () => {
  const problems: string[] = [];
  for (const { route, c } of routeCases())
    if (c.loader && modules.get(route.id)!.loader)
      for (const p of personasOf(c))
        problems.push(...(await check({ route, c, p, kind: "loader", expected: c.loader(p) })));
  expect(problems).toEqual([]);
}, 120_000);

const personasOf = (c: Case) => personas().filter((p) => c.for?.(p) ?? true);

const writes = (spec: ActionSpec, p: Persona) =>
  spec.writes ? spec.writes(p) : isSuccess(spec.expect(p));

test("every action refused to a persona is refused as declared, and changes nothing", async () => {
  const problems: string[] = [];
  let before = await tableCounts();
  for (const { route, c } of routeCases()) {
    const spec = c.action;
    if (!spec || !modules.get(route.id)!.action) continue;
    // Counted once around the refused calls of each case (a refused call changes nothing, so
    // neither do they all), in groups by what the refusal may still add to; a change names the
    // case and its callers.
    const groups = new Map<string, Persona[]>();
    for (const p of personasOf(c).filter((p) => !writes(spec, p))) {
      const key = [...(spec.mayAddTo?.(p) ?? [])].sort().join(",");
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    for (const [tables, callers] of groups) {
      for (const p of callers) {
        problems.push(...(await check({ route, c, p, kind: "action", expected: spec.expect(p) })));
        tally.refusedChecked += 1;
      }
      const after = await tableCounts();
      const changed = countChanges(before, after).filter(
        (x) => !tables.split(",").includes(x.table),
      );
      if (changed.length)
        problems.push(
          `${route.id}${c.name ? ` [${c.name}]` : ""} action, refused to ` +
            `${callers.map((p) => p.key).join(", ")}: changed ${changed.map((x) => x.change).join(", ")}`,
        );
      before = after;
    }
  }
  expect(problems).toEqual([]);
}, 120_000);

test("every action allowed to a persona succeeds as declared, showing nothing it may not see", async () => {
  const problems: string[] = [];
  for (const { route, c } of routeCases()) {
    const spec = c.action;
    if (!spec || !modules.get(route.id)!.action) continue;
    for (const p of personasOf(c)) {
      if (!writes(spec, p)) continue;
      tally.allowed += 1;
      problems.push(...(await check({ route, c, p, kind: "action", expected: spec.expect(p) })));
    }
  }
  expect(problems).toEqual([]);
}, 120_000);

test("every secret was shown to each persona allowed to see it (the allowed lists are exact)", () => {
  const problems: string[] = [];
  for (const s of w.secrets) {
    const missing = [...s.allowed].filter((k) => !seen.get(s.name)!.has(k));
    if (missing.length)
      problems.push(`${s.what} ("${s.word}") never shown to ${missing.join(", ")}`);
  }
  expect(problems).toEqual([]);
});

test("every route was called by every persona", () => {
  const problems: string[] = [];
  for (const route of routes)
    for (const p of personas()) {
      const mod = modules.get(route.id)!;
      if (!mod.loader && !mod.action) continue;
      if (!cells.get(route.id)?.get(p.key)?.calls) problems.push(`${route.id} as ${p.key}`);
    }
  expect(problems).toEqual([]);

  // The report, for the CI log: one row per route, one column per persona; in each cell the
  // outcomes of the loader and the action calls (o ok, r redirect, l sign-in, m second factor,
  // 0 400, 3 403, 4 404, 5 405, 9 409, g 410, - none).
  const SHORT: Record<PersonaKey, string> = {
    anon: "anon",
    pendingMfa: "pMfa",
    usStaff: "usSt",
    ukStaff: "ukSt",
    jpStaff: "jpSt",
    applicant: "appl",
    lineManager: "lMgr",
    reviewer: "revw",
    usHr: "usHr",
    ukHr: "ukHr",
    jpHr: "jpHr",
    jointOwner: "jtOw",
    jointEditor: "jtEd",
    jointViewer: "jtVw",
    usOwner: "usOw",
    usEditor: "usEd",
    usViewer: "usVw",
    ukOwner: "ukOw",
    ukEditor: "ukEd",
    ukViewer: "ukVw",
    admin: "admn",
  };
  const width = Math.max(...routes.map((r) => r.id.length)) + 2;
  const cellText = (routeId: string, k: PersonaKey) => {
    const cell = cells.get(routeId)?.get(k);
    const part = (s: Set<string> | undefined) => (s?.size ? [...s].sort().join("") : "-");
    return `${part(cell?.loader)}/${part(cell?.action)}`.padEnd(6);
  };
  const lines = [
    `${"route (loader/action)".padEnd(width)}${PERSONA_KEYS.map((k) => SHORT[k].padEnd(6)).join("")}calls`,
    ...[...routes]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(
        (r) =>
          `${r.id.padEnd(width)}${PERSONA_KEYS.map((k) => cellText(r.id, k)).join("")}${[
            ...(cells.get(r.id)?.values() ?? []),
          ].reduce((n, c) => n + c.calls, 0)}`,
      ),
  ];
  const loaders = routes.filter((r) => modules.get(r.id)!.loader).length;
  const actions = routes.filter((r) => modules.get(r.id)!.action).length;
  const cellCount = [...cells.values()].reduce((n, row) => n + row.size, 0);
  lines.push(
    "",
    `route matrix: ${routes.length} routes (${loaders} loaders, ${actions} actions) x ` +
      `${PERSONA_KEYS.length} personas = ${cellCount} cells; ` +
      `${tally.loaderCalls + tally.actionCalls} calls (${tally.loaderCalls} loader, ` +
      `${tally.actionCalls} action: ${tally.refusedChecked} refused with every table's row count ` +
      `checked, ${tally.allowed} allowed); ${w.secrets.length} secrets and every session token ` +
      `looked for in every answer`,
  );
  console.log(lines.join("\n"));
});
