import crypto from "node:crypto";
import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import {
  test as base,
  expect,
  type BrowserContextOptions,
  type Page,
  type Response,
} from "@playwright/test";
import { E2E_BASE_URL } from "./env";
import { e2eState, type E2eUser } from "./state";

export { expect };
export { e2eState };

// ---------------------------------------------------------------- accessibility

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Every page a test shows is checked with axe. A page's "view" is one committed document or one
 * client-side navigation to another URL; each must be checked (explicitly, with
 * expectNoAxeViolations or visit) before the test moves on, and the last one is checked at the end
 * of the test if the test did not. Moving past an unchecked view fails the test. Pages of another
 * site the test passes through, declared with foreignSite, are not the portal's and are exempt.
 */
type View = { url: string; checked: boolean };
type Tracked = {
  page: Page;
  label: string;
  view: View | null;
  skipped: string[];
  javaScriptEnabled: boolean;
  /** Origins of other sites the test declared (foreignSite): their pages need no check. */
  foreignOrigins: Set<string>;
};

const trackedPages = new WeakMap<Page, Tracked>();

function track(page: Page, label: string, registry: Tracked[], javaScriptEnabled = true) {
  const record: Tracked = {
    page,
    label,
    view: null,
    skipped: [],
    javaScriptEnabled,
    foreignOrigins: new Set(),
  };
  let documentRequested = false;
  page.on("request", (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      documentRequested = true;
    }
  });
  page.on("framenavigated", (frame) => {
    if (frame !== page.mainFrame()) return;
    const url = frame.url();
    // A same-document history update to the same URL (React Router does one while hydrating) is
    // not a new view; a fresh document at the same URL (a form posted without JavaScript) is.
    if (record.view && record.view.url === url && !documentRequested) return;
    documentRequested = false;
    if (url === "about:blank") return;
    if (record.view && !record.view.checked) record.skipped.push(record.view.url);
    record.view = { url, checked: record.foreignOrigins.has(originOf(url)) };
  });
  trackedPages.set(page, record);
  registry.push(record);
}

function originOf(url: string) {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

/**
 * Declares `origin` another site's (an institute's identity provider, whose sign-in pages the
 * person passes through): the guard asks no axe check of its pages, which the portal cannot fix.
 * Only for this page; the portal's own origin cannot be declared foreign.
 */
export function foreignSite(page: Page, origin: string) {
  const record = trackedPages.get(page);
  if (!record) throw new Error("foreignSite: the a11y guard does not track this page");
  const foreign = new URL(origin).origin;
  if (foreign === new URL(E2E_BASE_URL).origin) {
    throw new Error("foreignSite: the portal's own pages are always checked");
  }
  record.foreignOrigins.add(foreign);
}

function describeViolations(results: Awaited<ReturnType<AxeBuilder["analyze"]>>) {
  return results.violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      - ${n.target.join(" ")}: ${n.failureSummary?.replace(/\s+/g, " ")}`)
        .join("\n");
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join("\n");
}

function analyze(page: Page) {
  return new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
}

/**
 * axe runs as script in the page, which a context without JavaScript will not do. So the page's
 * document is shown, scripts removed, at the same URL in a scratch context with JavaScript (its
 * stylesheets load from the server as usual) and checked there.
 */
async function analyzeWithoutJavaScript(page: Page) {
  const url = page.url();
  const html = (await page.content())
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "")
    .replace(/<link\b[^>]*rel="modulepreload"[^>]*>/gi, "");
  const context = await page.context().browser()!.newContext({ javaScriptEnabled: true });
  try {
    const scratch = await context.newPage();
    await scratch.route(
      (u) => u.href === url,
      (route) =>
        route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }),
    );
    await scratch.goto(url);
    return await analyze(scratch);
  } finally {
    await context.close();
  }
}

/** Fails, listing each violation and where, if axe finds WCAG 2.2 A/AA problems on the page. */
export async function expectNoAxeViolations(page: Page) {
  await page.waitForLoadState("domcontentloaded");
  const url = page.url();
  const record = trackedPages.get(page);
  const results =
    record && !record.javaScriptEnabled
      ? await analyzeWithoutJavaScript(page)
      : await analyze(page);
  if (record?.view && record.view.url === url) record.view.checked = true;
  expect(
    results.violations.length,
    `axe found accessibility violations on ${url}:\n${describeViolations(results)}`,
  ).toBe(0);
}

/** Opens a URL and checks the page that results (after any redirects) with axe. */
export async function visit(page: Page, url: string): Promise<Response | null> {
  const response = await page.goto(url);
  expect(response?.status() ?? 200, `${url} answered with a server error`).toBeLessThan(500);
  await expectNoAxeViolations(page);
  return response;
}

// ---------------------------------------------------------------- TOTP, as an authenticator app does it

/** RFC 4648 base32, as shown to people enrolling (spaces and case ignored). */
export function decodeBase32(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`Not base32: ${JSON.stringify(char)} in ${text}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits): the code an authenticator app would show now. */
export function totpCode(base32Key: string, now = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const mac = crypto.createHmac("sha1", decodeBase32(base32Key)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

// ---------------------------------------------------------------- signing in

/**
 * Fills and sends the sign-in form on a page already showing it (checked with axe): the email
 * step, unless the page is at the password step already, then the password step.
 */
export async function submitSignIn(page: Page, email: string, password: string) {
  const emailField = page.getByLabel("Email address");
  if (await emailField.isVisible()) {
    await emailField.fill(email);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByText(`Signing in as ${email}`)).toBeVisible();
    await expectNoAxeViolations(page);
  }
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Per worker: the last time step whose code each person signed in with. */
const lastStepUsed = new Map<string, number>();

/**
 * A code this person has not used yet. The server accepts each time step's code once, and allows
 * one step of clock drift, so a second sign-in within the same 30 s takes the next step's code
 * (as a phone whose clock runs a little fast would), and a third waits for the step to turn.
 */
async function unusedTotpCode(page: Page, email: string, key: string) {
  for (;;) {
    const current = Math.floor(Date.now() / 30_000);
    const step = Math.max(current, (lastStepUsed.get(email) ?? -1) + 1);
    if (step <= current + 1) {
      lastStepUsed.set(email, step);
      return totpCode(key, step * 30_000);
    }
    await page.waitForTimeout((current + 1) * 30_000 - Date.now() + 50);
  }
}

/**
 * Gives the page Chromium's virtual authenticator (DevTools protocol, WebAuthn domain): a
 * platform authenticator with a screen lock, so resident keys and user verification. With
 * `passkey`, it holds that passkey already, as the seed registered it for the person.
 */
export async function addVirtualAuthenticator(page: Page, passkey?: E2eUser["passkey"]) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  if (passkey) {
    await cdp.send("WebAuthn.addCredential", {
      authenticatorId,
      credential: {
        credentialId: passkey.credentialId,
        isResidentCredential: true,
        rpId: new URL(E2E_BASE_URL).hostname,
        privateKey: passkey.privateKey,
        userHandle: passkey.userHandle,
        // The server refuses a counter that did not go up (a cloned authenticator), and each
        // sign-in gets a fresh virtual authenticator: start from the time, in tenths of seconds.
        signCount: Math.floor((Date.now() - Date.UTC(2024, 0, 1)) / 100),
      },
    });
  }
}

/**
 * Signs in through the form. People with a passkey confirm with it (HR and administrators must);
 * people with TOTP get the code step, with a code computed from the key the seed gave them. Each
 * page on the way is checked with axe. Ends on the page the app sends them to (home, or passkey
 * registration for HR and admins without one).
 */
export async function signIn(page: Page, user: E2eUser, password = e2eState().password) {
  if (user.passkey) await addVirtualAuthenticator(page, user.passkey);
  await visit(page, "/login");
  await submitSignIn(page, user.email, password);
  if (user.passkey) {
    await expect(page).toHaveURL(/\/login\/mfa/);
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Use a passkey" }).click();
  } else if (user.mfaKey) {
    await expect(page).toHaveURL(/\/login\/mfa/);
    await expect(
      page.getByRole("heading", { level: 1, name: "Two-step verification" }),
    ).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByLabel("Code").fill(await unusedTotpCode(page, user.email, user.mfaKey));
    await page.getByRole("button", { name: "Continue" }).click();
  }
  // A password check (Argon2) on a server still warming up, beside another worker, can outlast
  // the default 5 s.
  await expect(page).not.toHaveURL(/\/login/, { timeout: 15_000 });
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectNoAxeViolations(page);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expectNoAxeViolations(page);
}

// ---------------------------------------------------------------- the test object

type Fixtures = {
  /** A page in a fresh browser context (another person, or the same person elsewhere). */
  openPage: (options?: BrowserContextOptions & { label?: string }) => Promise<Page>;
  /** Auto: tracks every page and fails a test that showed a page without checking it. */
  a11yGuard: void;
  /** Auto: attaches what the server logged during a failed test to its report. */
  serverLog: void;
  pageRegistry: Tracked[];
};

export const test = base.extend<Fixtures>({
  serverLog: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, provide, testInfo) => {
      const file = process.env.E2E_SERVER_LOG;
      const start = file ? fs.statSync(file).size : 0;
      await provide();
      if (!file || testInfo.status === testInfo.expectedStatus) return;
      const log = fs.readFileSync(file).subarray(start).toString("utf8");
      if (log.trim()) await testInfo.attach("server log", { body: log, contentType: "text/plain" });
    },
    { auto: true },
  ],
  // Playwright reads fixture dependencies from the destructuring pattern, so it must be there.
  // eslint-disable-next-line no-empty-pattern
  pageRegistry: async ({}, provide) => {
    await provide([]);
  },
  // Set up before, and torn down after, the guard: the guard checks pages while they are open.
  openPage: async ({ browser, pageRegistry }, provide, testInfo) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await provide(async ({ label, ...options } = {}) => {
      const context = await browser.newContext({
        baseURL: testInfo.project.use.baseURL,
        locale: testInfo.project.use.locale,
        timezoneId: testInfo.project.use.timezoneId,
        ...options,
      });
      contexts.push(context);
      const page = await context.newPage();
      track(
        page,
        label ?? `extra page ${contexts.length}`,
        pageRegistry,
        options.javaScriptEnabled ?? true,
      );
      return page;
    });
    for (const context of contexts) await context.close();
  },
  a11yGuard: [
    async ({ page, pageRegistry, openPage: _ }, provide, testInfo) => {
      track(page, "page", pageRegistry);
      await provide();
      if (testInfo.status !== testInfo.expectedStatus) return;
      const problems: string[] = [];
      for (const record of pageRegistry) {
        if (record.view && !record.view.checked && !record.page.isClosed()) {
          await expectNoAxeViolations(record.page);
        }
        for (const url of record.skipped) problems.push(`${record.label}: ${url}`);
      }
      expect(
        problems,
        "These pages were shown but never checked with axe (call expectNoAxeViolations or visit)",
      ).toEqual([]);
    },
    { auto: true },
  ],
});
