import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, test } from "vitest";
import { db } from "~/lib/db.server";
import { newRequestScope, runDeferred, runInRequestScope } from "~/lib/request-scope.server";
import { action as forgotPassword } from "~/routes/sign-in/forgot-password";
import { action as login } from "~/routes/sign-in/login";
import { uniqueEmail } from "#test/factories";
import { freshIp, newUser, setUpAccountsWorld } from "#test/support/accounts-world";

setUpAccountsWorld();

// Whether an address has an account must not show in how long the answer takes. Each route is
// called as the HTTP server calls it (in a request scope, work it defers run after the answer), for
// a known and an unknown address alternately in a shuffled order, and the medians are compared
// with the spread of the timings: a loaded machine widens the spread, but shifts both medians.

const ROUNDS = 36;

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function quartileSpread(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.75)]! - s[Math.floor(s.length * 0.25)]!;
}

/** Runs one request as the server does; returns how long the answer took, in milliseconds. */
async function timed(run: (context: AppLoadContext) => Promise<unknown>) {
  const scope = newRequestScope("POST");
  const context = { clientAddress: freshIp().ipAddress, cspNonce: "" };
  const begun = performance.now();
  await runInRequestScope(scope, () => run(context));
  const ms = performance.now() - begun;
  // The server starts deferred work once the response has gone: not part of the answer's time.
  await runDeferred(scope);
  return ms;
}

function form(path: string, fields: Record<string, string>) {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "Sec-Fetch-Site": "same-origin",
    },
  });
}

async function compare(
  knownEmails: string[],
  unknownEmails: string[],
  send: (email: string, context: AppLoadContext) => Promise<unknown>,
) {
  // Warm-up: first calls pay for module loading and the email templates.
  await timed((c) => send(uniqueEmail("warm"), c));
  await timed((c) => send(knownEmails.pop()!, c));
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const pair = [
      async () => known.push(await timed((c) => send(knownEmails[i]!, c))),
      async () => unknown.push(await timed((c) => send(unknownEmails[i]!, c))),
    ];
    if (Math.random() < 0.5) pair.reverse();
    for (const run of pair) await run();
  }
  const difference = Math.abs(median(known) - median(unknown));
  // The narrower spread: a path that sometimes does more work widens its own.
  const spread = Math.min(quartileSpread(known), quartileSpread(unknown));
  const slower = Math.max(median(known), median(unknown));
  // What a loaded test machine can show between two equal paths: half the spread, or a quarter of
  // the answer time (the path without an oracle moved 9 ms of 47 under two test workers). The old
  // forgot-password, which did the account's work before answering, took 86 ms against 34: 52 apart.
  const allowed = Math.max(0.5 * spread, 0.25 * slower, 2);
  return { difference, spread, allowed, known: median(known), unknown: median(unknown) };
}

describe("no account oracle in response times", () => {
  test("forgot-password answers a known and an unknown address in the same time", async () => {
    const people = await Promise.all(Array.from({ length: ROUNDS + 1 }, () => newUser()));
    const known = people.map((p) => p.email);
    const unknown = Array.from({ length: ROUNDS }, () => uniqueEmail("nobody"));
    const before = await db.outboxEmail.count();

    const result = await compare(known, unknown, (email, context) =>
      forgotPassword({ request: form("/forgot-password", { email }), params: {}, context }),
    );

    // The known addresses were really mailed, after their answers.
    expect(await db.outboxEmail.count()).toBe(before + ROUNDS + 1);
    expect(
      result.difference,
      `medians ${result.known.toFixed(1)} ms (known) and ${result.unknown.toFixed(1)} ms (unknown), spread ${result.spread.toFixed(1)} ms`,
    ).toBeLessThan(result.allowed);
  }, 120_000);

  test("sign-in answers a wrong password for a known address and any password for an unknown one in the same time", async () => {
    const people = await Promise.all(Array.from({ length: ROUNDS + 1 }, () => newUser()));
    const known = people.map((p) => p.email);
    const unknown = Array.from({ length: ROUNDS }, () => uniqueEmail("nobody"));

    const result = await compare(known, unknown, (email, context) =>
      login({
        request: form("/login", { email, password: "a wrong but long password" }),
        params: {},
        context,
      }),
    );

    expect(
      result.difference,
      `medians ${result.known.toFixed(1)} ms (known) and ${result.unknown.toFixed(1)} ms (unknown), spread ${result.spread.toFixed(1)} ms`,
    ).toBeLessThan(result.allowed);
  }, 120_000);
});
