import {
  addVirtualAuthenticator,
  e2eState,
  expect,
  expectNoAxeViolations,
  signIn,
  signOut,
  test,
  visit,
} from "./fixtures";

// Passkeys in a real browser: Chromium's virtual authenticator stands in for a laptop's platform
// authenticator. The HR and administrator rule is in mfa-enrolment.spec.ts.

test("a person adds a passkey, signs out, and signs in with the passkey alone", async ({
  page,
}) => {
  const { passkeyStaff } = e2eState().users;
  await addVirtualAuthenticator(page);
  await signIn(page, passkeyStaff);
  await visit(page, "/account/passkeys");
  await expect(page.getByText("You have no passkeys yet.")).toBeVisible();

  // A name is required before the browser is asked for anything.
  await page.getByLabel("Name").fill("   ");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByLabel("Name")).toHaveAccessibleDescription(/Enter a name for the passkey/);
  await expectNoAxeViolations(page);

  await page.getByLabel("Name").fill("Test laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page).toHaveURL("/account/passkeys?added=1");
  await expect(page.getByRole("heading", { level: 3, name: "Test laptop" })).toBeVisible();
  // The form is ready for another: the name just used is gone.
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("");
  await expectNoAxeViolations(page);

  await page.getByLabel("New name for Test laptop").fill("Work laptop");
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("heading", { level: 3, name: "Work laptop" })).toBeVisible();
  await expectNoAxeViolations(page);

  // No email, no password: the passkey names the account.
  await signOut(page);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL("/");
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${passkeyStaff.displayName}` }),
  ).toBeVisible();
  await expectNoAxeViolations(page);

  await visit(page, "/account/passkeys");
  await expect(page.getByText(/Last used .*never/)).toHaveCount(0);
  await page.getByRole("button", { name: "Remove Work laptop" }).click();
  await expect(page.getByText("You have no passkeys yet.")).toBeVisible();
  await expectNoAxeViolations(page);
});
