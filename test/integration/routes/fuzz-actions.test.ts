import fc from "fast-check";
import { expect, test } from "vitest";
import { getEnv } from "~/lib/env.server";
import { verifyAuditChain } from "~/modules/audit/audit.server";
import {
  bodyModeArb,
  buildRequest,
  formArb,
  type Late,
  type Value,
} from "#test/support/fuzz/inputs";
import { turnOfTheLoop } from "#test/support/event-loop";
import { type PersonaKey } from "#test/support/fuzz/world";
import { call, sessionCookieFor } from "#test/support/route-harness";
import {
  ACTION_FILES,
  before,
  MODULES,
  outcomeOf,
  personaKeys,
  recordIds,
  rowCounts,
  setUpFuzzWorld,
  specs,
  TABLES,
  verifyAuditTail,
  world,
  writesSince,
} from "#test/support/fuzz/harness";
import { type Params, type Who } from "#test/support/fuzz/specs";

// Every action of the portal, driven with generated bad and hostile input (wrong types, huge
// strings, control characters, unicode edge cases, missing, duplicated and unknown fields, other
// records' ids, files where text belongs and text where files belong, malformed bodies), as a
// person who has the right to act, so that the input reaches the services and the database.
// For every case: the action answers (a Response or data, never a thrown error) with a status
// below 500; when it refuses (4xx), nothing in the database was written (see instrumentWrites);
// and whatever it answered, the audit events it appended link to the chain and match their hashes
// (the whole chain is verified again after each action's run).
//
// Runs: 200 cases per action (FUZZ_RUNS raises it: `npm run test:fuzz:nightly`). The seed is
// random, and fast-check prints it with the failing case; FUZZ_SEED=<seed> FUZZ_PATH=<path>
// replays it on the same UTC day (plausible dates count days from the test's now; TEST_CLOCK on
// that day replays it later). Shrinking is off (the database changes from case to case, so a
// shrunk case may not fail again); FUZZ_SHRINK=1 turns it on. FUZZ_STATS=1 (or 2, with the fields
// in error) prints how each action's cases ended, to check that they reach the services rather
// than stopping at 404.

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const PATH = process.env.FUZZ_PATH || undefined;

setUpFuzzWorld();

/** Lone surrogates become U+FFFD, as encoding to UTF-8 and decoding again makes them. */
const wellFormed = (s: string) =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");

// --- the tests ----------------------------------------------------------------------------------

test("every route module with an action has a fuzz setup", () => {
  const missing = ACTION_FILES.filter((f) => !specs[f]);
  expect(missing, `actions with no fuzz setup: add them to buildSpecs`).toEqual([]);
  const stale = Object.keys(specs).filter((f) => !ACTION_FILES.includes(f));
  expect(stale, "fuzz setups for routes that have no action (any more)").toEqual([]);
  expect(ACTION_FILES.length).toBeGreaterThan(30);
});

const GARBAGE_IDS = [
  "",
  " ",
  "0",
  "-1",
  "\u0000",
  "a\u0000b",
  "%00",
  "..",
  "../admin",
  "x".repeat(65),
  "y".repeat(100_000),
  "😀",
  "\u202Eabc",
  "' OR 1=1 --",
  "__proto__",
  "clx0000000000000000000000",
];

for (const file of ACTION_FILES) {
  test(`fuzz: ${file}`, { timeout: Math.max(300_000, RUNS * 1_500) }, async () => {
    const spec = specs[file];
    if (!spec) throw new Error(`${file} has an action but no fuzz setup in buildSpecs`);
    const action = MODULES[file]!.action;
    const uploadMax = getEnv().UPLOAD_MAX_BYTES;
    const others = [...recordIds.others, ...recordIds.users];
    const cookies = new Map<string, string>();
    // FUZZ_STATS=1 prints how the cases ended: a run that is all 404s is not reaching the service.
    const stats = process.env.FUZZ_STATS ? new Map<string, number>() : null;
    const cookieOf = async (who: PersonaKey) => {
      let c = cookies.get(who);
      if (!c) cookies.set(who, (c = await sessionCookieFor(world.people[who].id)));
      return c;
    };

    const whoArb: fc.Arbitrary<Who> =
      spec.strangers === false
        ? fc.constantFrom(...spec.actors)
        : fc.oneof(
            { weight: 9, arbitrary: fc.constantFrom(...spec.actors) },
            { weight: 1, arbitrary: fc.constantFrom<Who>("anonymous", ...personaKeys) },
          );
    const otherParamIds = spec.otherParamIds ?? recordIds.others;
    const paramArbs = Object.fromEntries(
      Object.entries(spec.params ?? {}).map(([name, real]) => [
        name,
        fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom<string | Late>(...real) },
          ...(otherParamIds.length
            ? [{ weight: 1, arbitrary: fc.constantFrom<string | Late>(...otherParamIds) }]
            : []),
          { weight: 1, arbitrary: fc.constantFrom<string | Late>(...GARBAGE_IDS) },
        ),
      ]),
    );
    const caseArb = fc.record({
      who: whoArb,
      params: fc.record(paramArbs),
      fields: formArb(spec.form, others),
      mode: bodyModeArb,
      cut: fc.integer({ min: 0, max: 1000 }),
    });

    const countsAtStart = await rowCounts();
    const startOfRun = await before();
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        // Hundreds of cases per test: let the event loop turn between them (see event-loop.ts).
        await turnOfTheLoop();
        const prepared = (await spec.prepare?.()) ?? {};
        const late = new Map(Object.entries(prepared.late ?? {}));
        const lateName = (v: Value | undefined) =>
          v && typeof v === "object" && "late" in v ? v.late : null;
        const params: Params = {};
        for (const [name, v] of Object.entries(c.params)) {
          const raw = typeof v === "string" ? v : (late.get(v.late) ?? "");
          // A URL path cannot carry a lone surrogate: the server decodes what the client encoded.
          params[name] = wellFormed(raw);
        }
        for (const field of c.fields)
          for (const v of field.values) {
            const name = lateName(v);
            if (name && !late.has(name))
              late.set(name, spec.late ? await spec.late(name, params, c.fields) : "");
          }
        const cookie =
          c.who === "anonymous"
            ? null
            : c.who === "prepared"
              ? (prepared.cookie ?? null)
              : await cookieOf(c.who);
        const encoded = Object.fromEntries(
          Object.entries(params).map(([k, v]) => [k, encodeURIComponent(v)]),
        );
        const request = await buildRequest({
          path: spec.path(encoded),
          cookie,
          fields: c.fields,
          mode: c.mode,
          cut: c.cut,
          resolve: (name) => late.get(name) ?? "",
          uploadMax,
        });

        const snapshot = await before();
        let status: number;
        let answer: unknown;
        try {
          ({ status } = await outcomeOf(
            async () => (answer = await call(action, request, params)),
          ));
        } catch (error) {
          throw new Error(
            `${file} threw instead of answering: ${error instanceof Error ? error.stack : String(error)}`,
          );
        }
        if (stats) {
          const errors = (answer as { data?: { errors?: object } } | undefined)?.data?.errors;
          const key = `${status}${process.env.FUZZ_STATS === "2" && errors ? ` ${Object.keys(errors).join(",")}` : ""}`;
          stats.set(key, (stats.get(key) ?? 0) + 1);
        }
        if (!spec.upstreamStatuses?.includes(status))
          expect(status, `${file} answered ${status}`).toBeLessThan(500);
        const writes = await writesSince(snapshot);
        if (status >= 400) {
          const unexpected = { ...writes };
          for (const t of spec.refusalMayWrite ?? []) delete unexpected[t];
          expect(unexpected, `${file} refused (${status}) but wrote to the database`).toEqual({});
        }
        if (writes.AuditEvent) {
          const broken = await verifyAuditTail(snapshot.head);
          expect(broken, `${file}: the audit chain broke`).toBeNull();
        }
      }),
      { numRuns: RUNS, seed: SEED, path: PATH, endOnFailure: process.env.FUZZ_SHRINK !== "1" },
    );

    if (stats) console.log(`${file}: statuses ${JSON.stringify(Object.fromEntries(stats))}`);
    // The write log against plain row counts: a table whose count moved must have logged writes.
    const countsAtEnd = await rowCounts();
    const logged = await writesSince(startOfRun);
    const unlogged = TABLES.filter((t) => countsAtEnd[t] !== countsAtStart[t] && !logged[t]);
    expect(unlogged, "row counts changed with no write logged").toEqual([]);
    const chain = await verifyAuditChain();
    expect(chain.firstBreak, `${file}: the audit chain broke`).toBeNull();
  });
}
