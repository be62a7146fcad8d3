import type { Page } from "@playwright/test";
import { e2eState, expect, signIn, test, visit } from "./fixtures";

test("pages carry CSP with a nonce, frame-ancestors 'none', nosniff and no-store", async ({
  page,
}) => {
  const response = await visit(page, "/login");
  expect(response).not.toBeNull();
  const headers = response!.headers();

  const csp = headers["content-security-policy"] ?? "";
  const nonce = csp.match(/script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
  expect(nonce, `CSP: ${csp}`).toBeTruthy();
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("unsafe-eval");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["cache-control"]).toContain("no-store");

  // Every script the page ships carries this response's nonce, and the next response has another.
  const html = await response!.text();
  const scriptTags = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThan(0);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);
  const next = await page.request.get("/login");
  expect(next.headers()["content-security-policy"]).not.toContain(nonce!);
});

test("cross-site POSTs to /login and /logout are refused with 403", async ({ page }) => {
  const { staffSecurity } = e2eState().users;
  await signIn(page, staffSecurity);
  const form = { email: staffSecurity.email, password: e2eState().password };

  const evilOrigin = await page.request.post("/login", {
    headers: { Origin: "https://evil.example" },
    form,
    maxRedirects: 0,
  });
  expect(evilOrigin.status()).toBe(403);

  const crossSite = await page.request.post("/login", {
    headers: { "Sec-Fetch-Site": "cross-site" },
    form,
    maxRedirects: 0,
  });
  expect(crossSite.status()).toBe(403);

  // Signing someone out from another site is refused too (and they stay signed in).
  const crossSiteHeaders: Record<string, string>[] = [
    { Origin: "https://evil.example" },
    { "Sec-Fetch-Site": "cross-site" },
  ];
  for (const headers of crossSiteHeaders) {
    const logout = await page.request.post("/logout", { headers, maxRedirects: 0 });
    expect(logout.status(), JSON.stringify(headers)).toBe(403);
  }
  await visit(page, "/");
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${staffSecurity.displayName}` }),
  ).toBeVisible();

  // The same request from the site itself goes through.
  const ownLogout = await page.request.post("/logout", {
    headers: { Origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expect(ownLogout.status()).toBe(302);
  expect(ownLogout.headers()["location"]).toBe("/login");
});

test("a tampered session cookie signs the user out instead of failing", async ({ page }) => {
  const { staff } = e2eState().users;
  await signIn(page, staff);
  const context = page.context();
  const cookies = await context.cookies();
  const session = cookies.find((c) => /^(__Host-)?session$/.test(c.name));
  expect(session, `cookies: ${cookies.map((c) => c.name).join(", ")}`).toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");

  // Change one character (staying within the token's alphabet).
  const value = session!.value;
  const last = value.at(-1)!;
  const tampered = value.slice(0, -1) + (last === "a" ? "b" : "a");
  await context.addCookies([{ ...session!, value: tampered }]);

  const response = await visit(page, "/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL("/login");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  expect(
    (await context.cookies()).find((c) => c.name === session!.name),
    "the server clears the bad cookie",
  ).toBeUndefined();

  await visit(page, "/account");
  await expect(page).toHaveURL("/login?redirectTo=%2Faccount");
});

/** Every form on the page that posts, and the anti-forgery token each carries ("" if none). */
async function postingForms(page: Page) {
  return page.locator("form[method=post]").evaluateAll((forms) =>
    forms.map((f) => ({
      action: f.getAttribute("action") ?? "",
      token:
        (f.querySelector("input[type=hidden][name=csrf]") as HTMLInputElement | null)?.value ?? "",
    })),
  );
}

test("without JavaScript, every form carries its token, and a POST with no Origin goes through only with it", async ({
  openPage,
}) => {
  // Six pages, each checked with axe in a scratch context (JavaScript is off in this one).
  test.slow();
  const page = await openPage({ javaScriptEnabled: false });
  const { staffSecurity } = e2eState().users;

  // Signed out: the sign-in and forgot-password forms carry a token from a cookie of their own.
  for (const url of ["/login", "/forgot-password"]) {
    await visit(page, url);
    const forms = await postingForms(page);
    expect(forms.length, url).toBeGreaterThan(0);
    for (const form of forms) expect(form.token, `${url} ${form.action}`).toMatch(/^[\w-]{43}$/);
  }
  const signedOutToken = (await postingForms(page))[0]!.token;
  // page.request shares the browser's cookies but sends no Origin and no Sec-Fetch-Site.
  const email = { email: "nobody@us-aisi.example" };
  const untokened = await page.request.post("/forgot-password", { form: email, maxRedirects: 0 });
  expect(untokened.status()).toBe(403);
  expect(await untokened.text()).toContain("may have come from another site");
  const tokened = await page.request.post("/forgot-password", {
    form: { ...email, csrf: signedOutToken },
    maxRedirects: 0,
  });
  expect(tokened.status()).toBeLessThan(400);

  // Signed in: another token, tied to this session, in every form of a few key pages.
  await signIn(page, staffSecurity);
  let signedInToken = "";
  for (const url of ["/", "/account/password", "/workspaces/new"]) {
    await visit(page, url);
    const forms = await postingForms(page);
    expect(forms.length, url).toBeGreaterThan(0);
    for (const form of forms) {
      expect(form.token, `${url} ${form.action}`).toMatch(/^[\w-]{43}$/);
      expect(form.token, `${url} ${form.action}`).not.toBe(signedOutToken);
    }
    signedInToken = forms[0]!.token;
  }

  const refused = await page.request.post("/logout", { maxRedirects: 0 });
  expect(refused.status()).toBe(403);
  await visit(page, "/");
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${staffSecurity.displayName}` }),
  ).toBeVisible();
  const accepted = await page.request.post("/logout", {
    form: { csrf: signedInToken },
    maxRedirects: 0,
  });
  expect(accepted.status()).toBe(302);
  expect(accepted.headers()["location"]).toBe("/login");
});
