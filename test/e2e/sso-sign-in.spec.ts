import { E2E_BASE_URL } from "./env";
import { e2eState, expect, expectNoAxeViolations, foreignSite, test, visit } from "./fixtures";

// Single sign-on as a person meets it: the portal sends them to their institute's OpenID provider
// (a real one, test/support/oidc-provider, which global setup runs), they sign in on the
// provider's own page, and come back signed in to the portal. Signing out offers the provider's
// sign-out too. The provider's pages are another site's, so only the portal's are checked by axe.

test("a person signs in on their institute's provider's own page, and out of both", async ({
  page,
}) => {
  const { sso } = e2eState();
  const provider = new URL(sso.issuer).origin;
  const atProvider = (url: URL) => url.origin === provider;
  foreignSite(page, provider);

  // The address's domain belongs to the institute's provider: no password step, but its page.
  await visit(page, "/login");
  await page.getByLabel("Email address").fill(sso.person.email);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(atProvider);
  await expect(page.getByLabel("Password", { exact: true })).toHaveCount(0);

  // The provider's own sign-in form; its consent is given at once, and it sends the browser back.
  await page.getByLabel("Account").fill(sso.person.login);
  await page.getByRole("button", { name: "Sign in at the provider" }).click();

  // A first sign-in creates the portal account, in the provider's institute, named as the
  // provider names the person.
  await expect(page).toHaveURL(`${E2E_BASE_URL}/`);
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${sso.person.displayName}` }),
  ).toBeVisible();
  await expect(page.getByText(sso.instituteName)).toBeVisible();
  await expect(page.getByRole("banner").getByText(sso.instituteCode)).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "Manage your account" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(page.getByText(`${sso.person.email} · ${sso.instituteName}`)).toBeVisible();
  await expectNoAxeViolations(page);

  // Signing out of the portal ends its session and offers the provider's sign-out as well.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "You are signed out of the portal" }),
  ).toBeVisible();
  await expectNoAxeViolations(page);
  await page
    .getByRole("link", { name: "Sign out of your institute’s sign-in service too" })
    .click();

  // The provider asks on its own page, then sends the browser back to the portal's sign-in page.
  await expect(page).toHaveURL(atProvider);
  await page.getByRole("button", { name: "Yes, sign me out" }).click();
  await expect(page).toHaveURL(`${E2E_BASE_URL}/login`);
  await expect(page.getByLabel("Email address")).toBeVisible();
  await expectNoAxeViolations(page);

  // Signed out of the portal: its pages ask for a sign-in again.
  await visit(page, "/account");
  await expect(page).toHaveURL(`${E2E_BASE_URL}/login?redirectTo=%2Faccount`);

  // Signed out at the provider too: starting again, it asks who they are rather than
  // signing them straight back in.
  await page.getByLabel("Email address").fill(sso.person.email);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(atProvider);
  await expect(page.getByRole("button", { name: "Sign in at the provider" })).toBeVisible();
});

test("without JavaScript, the email step links to the provider and the sign-in completes", async ({
  openPage,
}) => {
  const { sso } = e2eState();
  const provider = new URL(sso.issuer).origin;
  const page = await openPage({ javaScriptEnabled: false, label: "no-JS page" });
  foreignSite(page, provider);

  // The portal lets its forms post only to itself (CSP form-action), so the way on is a link.
  await visit(page, "/login");
  await page.getByLabel("Email address").fill(sso.person.email);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(
    page.getByText("Your institute signs you in through its own sign-in service."),
  ).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: /^Continue to your institute.s sign-in service$/ }).click();
  await expect(page).toHaveURL((url) => url.origin === provider);

  await page.getByLabel("Account").fill(sso.person.login);
  await page.getByRole("button", { name: "Sign in at the provider" }).click();
  await expect(page).toHaveURL(`${E2E_BASE_URL}/`);
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${sso.person.displayName}` }),
  ).toBeVisible();
  await expectNoAxeViolations(page);
});
