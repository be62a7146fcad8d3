import type { Page } from "@playwright/test";
import {
  e2eState,
  expect,
  expectNoAxeViolations,
  signIn,
  submitSignIn,
  test,
  visit,
} from "./fixtures";

async function peopleCount(page: Page) {
  await visit(page, "/admin/users?status=all");
  const text = await page.getByText(/^\d+ (person|people)$/).innerText();
  return Number.parseInt(text, 10);
}

/** The admin's view of an emailed link: outbox list, then the email, then the link in its text. */
async function linkFromOutbox(page: Page, to: string, pathPrefix: string) {
  const response = await visit(page, "/admin/outbox");
  expect(response?.status(), "/admin/outbox lists the emails the portal sent").toBe(200);
  const row = page.getByRole("row").filter({ hasText: to });
  await expect(row).toHaveCount(1);
  await row.getByRole("link").click();
  await expect(page).toHaveURL(/\/admin\/outbox\/[^/]+$/);
  await expect(page.getByText(`To ${to}`)).toBeVisible();
  await expectNoAxeViolations(page);
  const body = await page.locator("main pre").first().innerText();
  const match = body.match(new RegExp(`https?://\\S+${pathPrefix}/[a-z2-7]+`));
  expect(match, `a ${pathPrefix} link in the email to ${to}:\n${body}`).not.toBeNull();
  return new URL(match![0]);
}

test("an admin invites someone, who follows the emailed link, sets a password and signs in", async ({
  page,
  openPage,
}) => {
  test.slow(); // many pages, each checked with axe
  const { adminInviter } = e2eState().users;
  const email = `casey.newcomer.${Date.now().toString(36)}@uk-aisi.example`;
  const name = "Casey Newcomer";

  await signIn(page, adminInviter);
  const before = await peopleCount(page);

  // --- A form with mistakes: each message next to its field, nothing created.
  await page.getByRole("link", { name: "Invite a user" }).click();
  await expect(page).toHaveURL("/admin/users/new");
  await expect(page.getByRole("heading", { level: 1, name: "Invite a user" })).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel("Email address").fill("not-an-email");
  await page.getByLabel("Full name").fill("");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email address")).toHaveAccessibleDescription(
    /Enter an email address in the right format/,
  );
  await expect(page.getByLabel("Full name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Full name")).toHaveAccessibleDescription(/Enter a name/);
  await expect(page).toHaveURL("/admin/users/new");
  await expectNoAxeViolations(page);

  // The same mistakes sent straight to the server (as a browser without JavaScript would).
  const institutes = await page
    .getByLabel("Institute", { exact: true })
    .locator("option")
    .evaluateAll((options) =>
      options.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent ?? "" })),
    );
  const uk = institutes.find((i) => i.label.startsWith("UK-AISI"));
  expect(uk).toBeDefined();
  const rejected = await page.request.post("/admin/users/new", {
    headers: { Origin: new URL(page.url()).origin },
    form: { email: "not-an-email", displayName: "", instituteId: uk!.value, roles: "STAFF" },
  });
  expect(rejected.status()).toBe(400);
  const rejectedHtml = await rejected.text();
  expect(rejectedHtml).toContain("Enter a name");
  expect(rejectedHtml).toContain("Enter an email address in the right format");
  expect(rejectedHtml).toMatch(/aria-invalid="true"/);

  expect(await peopleCount(page), "no one is created by a form with errors").toBe(before);

  // --- The real invitation.
  await visit(page, "/admin/users/new");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Job title").fill("Research scientist");
  await page.getByLabel("Institute", { exact: true }).selectOption(uk!.value);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page).toHaveURL(/\/admin\/users\/(?!new)[^/]+$/);
  await expect(page.getByRole("status")).toContainText(`Invitation sent to ${email}.`);
  await expectNoAxeViolations(page);
  expect(await peopleCount(page)).toBe(before + 1);

  const link = await linkFromOutbox(page, email, "/invitation");
  expect(link.origin).toBe(new URL(page.url()).origin);

  // --- The invitee, in their own browser.
  const invitee = await openPage({ label: "invitee" });
  await visit(invitee, link.pathname);
  await expect(
    invitee.getByRole("heading", { level: 1, name: "Welcome to the Exchange portal" }),
  ).toBeVisible();
  await expect(invitee.getByText(`Account: ${email}`)).toBeVisible();

  const password = invitee.getByLabel("New password", { exact: true });
  const confirm = invitee.getByLabel("Repeat the new password");
  const submit = invitee.getByRole("button", { name: "Set password and continue" });

  await password.fill("too short pw");
  await confirm.fill("too short pw");
  await submit.click();
  await expect(password).toHaveAccessibleDescription(/Use at least 15 characters/);
  await expectNoAxeViolations(invitee);

  // Long enough, but on the list of common passwords: only the server knows that list.
  await password.fill("passwordpassword");
  await confirm.fill("passwordpassword");
  await submit.click();
  await expect(password).toHaveAccessibleDescription(/common or breached passwords/);
  await expect(invitee).toHaveURL(link.pathname);
  await expectNoAxeViolations(invitee);

  const chosen = "lantern orchard velvet compass 42";
  await password.fill(chosen);
  await confirm.fill(chosen);
  await submit.click();
  await expect(invitee).toHaveURL("/login");
  await expect(invitee.getByRole("status")).toContainText(
    "Your account is ready. Sign in with your new password.",
  );
  await expectNoAxeViolations(invitee);

  await submitSignIn(invitee, email, chosen);
  await expect(invitee).toHaveURL("/");
  await expect(invitee.getByRole("heading", { level: 1, name: `Welcome, ${name}` })).toBeVisible();
  await expect(invitee.getByText("UK AI Safety Institute")).toBeVisible();
  await expectNoAxeViolations(invitee);

  // The link worked once.
  const again = await visit(invitee, link.pathname);
  expect(again?.status()).toBe(410);
  await expect(
    invitee.getByRole("heading", { level: 1, name: "This link cannot be used" }),
  ).toBeVisible();
});
