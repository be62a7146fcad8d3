import { e2eState, expect, expectNoAxeViolations, signIn, test, visit } from "./fixtures";

// Every administration page, visited by keyboard-and-axe standards, with one real change each
// where the page exists to change something.
test("the administration pages work and pass axe", async ({ page }) => {
  // Many pages, each with an axe run: more than the default 30 s on a busy 2-core machine.
  test.setTimeout(120_000);
  const admin = e2eState().users.adminPages;
  await signIn(page, admin);

  await visit(page, "/admin/users?q=e2e&status=all");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  await page.getByRole("link", { name: "Riley Staff" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Riley Staff" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("Job title").fill("Research engineer");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Changes saved.")).toBeVisible();
  await expect(page.getByLabel("Job title")).toHaveValue("Research engineer");
  await expectNoAxeViolations(page);

  await visit(page, "/admin/institutes");
  await page.getByRole("link", { name: "US-AISI" }).click();
  await expect(page.getByLabel("Time zone")).toHaveValue("America/New_York");
  await expectNoAxeViolations(page);
  await page.getByLabel("Time zone").fill("Mars/Olympus_Mons");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Enter a time zone from the IANA list")).toBeVisible();
  await expectNoAxeViolations(page);

  await visit(page, "/admin/audit?action=user.updated");
  await expect(page.getByRole("cell", { name: "user.updated" }).first()).toBeVisible();
  await visit(page, "/admin/outbox");

  await visit(page, "/admin/expertise");
  await page.getByLabel("Name", { exact: true }).fill("Model welfare");
  await page.getByRole("button", { name: "Add area" }).click();
  await expect(page.getByRole("link", { name: "Model welfare" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Model welfare" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Model welfare/ })).toBeVisible();
  await expectNoAxeViolations(page);

  await visit(page, "/account/password");
  await expect(page.getByRole("heading", { level: 1, name: "Change your password" })).toBeVisible();
});

test("an admin erases a departed person's data, confirming with their address", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const { users } = e2eState();
  await signIn(page, users.adminPages);
  await visit(page, "/admin/users?q=erasable&status=all");
  await page.getByRole("link", { name: "Dara Departed" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dara Departed" })).toBeVisible();
  await expectNoAxeViolations(page);
  // Only a deactivated account can be erased.
  await expect(page.getByRole("button", { name: "Erase personal data" })).toHaveCount(0);
  await page.getByRole("button", { name: "Deactivate account" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Erase personal data" })).toBeVisible();
  await expectNoAxeViolations(page);

  const confirm = page.getByLabel("Type their email address to confirm");
  await confirm.fill("someone.else@uk-aisi.example");
  await page.getByRole("button", { name: "Erase personal data" }).click();
  await expect(
    page.getByText("Type the person's email address exactly, to confirm."),
  ).toBeVisible();
  await expectNoAxeViolations(page);
  await confirm.fill(users.erasable.email);
  await page.getByRole("button", { name: "Erase personal data" }).click();
  await expect(page.getByText(/Personal data erased/)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Erased user" })).toBeVisible();
  await expectNoAxeViolations(page);
});
