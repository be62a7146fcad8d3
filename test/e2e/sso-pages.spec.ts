import { e2eState, expect, expectNoAxeViolations, signIn, test, visit } from "./fixtures";

// The single sign-on pages by axe, with their error states.
test("the single sign-on pages pass axe, with their errors shown", async ({ page }) => {
  test.setTimeout(120_000);
  await visit(page, "/login/sso/callback?code=x&state=unknown");
  await expect(page.getByText("This sign-in has expired or was already used")).toBeVisible();
  await visit(page, "/logout/sso?institute=US-AISI");
  await expect(
    page.getByRole("heading", { level: 1, name: /signed out of the portal/ }),
  ).toBeVisible();

  await signIn(page, e2eState().users.adminPages);
  await visit(page, "/admin/institutes");
  await page.getByRole("link", { name: "US-AISI" }).click();
  await expect(page.getByRole("link", { name: "Single sign-on settings" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Single sign-on settings" }).click();
  await expect(page.getByLabel("Issuer URL")).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("Issuer URL").fill("not a url");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Enter the issuer URL, like")).toBeVisible();
  await expectNoAxeViolations(page);
});
