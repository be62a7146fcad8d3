import { afterEach, expect, test } from "vitest";
import { resetEnvCache } from "~/lib/env.server";
import { clearSessionCookie, readSessionToken, sessionCookie } from "~/lib/session.server";
import { generateToken, hashToken } from "~/lib/tokens.server";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

function env(vars: Record<string, string>) {
  process.env = { ...saved, ...vars };
  resetEnvCache();
}

test("in production the cookie is __Host-, Secure, HttpOnly and SameSite=Lax", () => {
  env({ NODE_ENV: "production" });
  // Any expiry will do: the cookie only states the one it is given.
  const cookie = sessionCookie("abc", new Date("2030-01-01T00:00:00Z"));
  expect(cookie).toMatch(/^__Host-session=abc; /);
  expect(cookie).toContain("; Path=/");
  expect(cookie).toContain("; HttpOnly");
  expect(cookie).toContain("; SameSite=Lax");
  expect(cookie).toContain("; Secure");
  expect(cookie).not.toMatch(/Domain=/i);
  expect(clearSessionCookie()).toMatch(/^__Host-session=; .*Max-Age=0/);
});

test("in development over plain HTTP the cookie is not Secure (browsers would drop it)", () => {
  env({ NODE_ENV: "development" });
  const cookie = sessionCookie("abc", new Date());
  expect(cookie).toMatch(/^session=abc; /);
  expect(cookie).not.toContain("Secure");
  expect(cookie).toContain("HttpOnly");
});

test("only the configured cookie is read, whatever else the header holds", () => {
  env({ NODE_ENV: "development" });
  const request = new Request("http://x/", {
    headers: { Cookie: "__Host-session=evil; other=1; session=tok" },
  });
  expect(readSessionToken(request)).toBe("tok");
});

test("tokens are random 160-bit values and only their SHA-256 would be stored", () => {
  const a = generateToken();
  const b = generateToken();
  expect(a).toMatch(/^[a-z2-7]{32}$/);
  expect(a).not.toBe(b);
  expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
  expect(hashToken(a)).not.toContain(a);
});
