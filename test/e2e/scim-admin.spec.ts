import { e2eState, expect, expectNoAxeViolations, signIn, test, visit } from "./fixtures";

// The institute's provisioning page: a token made and shown once, which then opens the SCIM
// endpoint; the email domains form with its error; every state passes axe.
test("an administrator makes a SCIM token, sees it once, and it opens /scim/v2", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, e2eState().users.adminPages);
  await visit(page, "/admin/institutes");
  await page.getByRole("link", { name: "US-AISI" }).click();
  await expect(page.getByLabel("Time zone")).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: /Provisioning \(SCIM\)/ }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "US-AISI: provisioning (SCIM)" }),
  ).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: "Make a token" }).click();
  const shown = page.getByTestId("scim-token");
  await expect(shown).toHaveText(/^scim_[a-z2-7]{32}$/);
  await expectNoAxeViolations(page);
  const token = (await shown.textContent())!;

  const config = await page.request.get("/scim/v2/ServiceProviderConfig", {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(config.status()).toBe(200);
  expect(config.headers()["content-type"]).toBe("application/scim+json");

  // Shown once: the page read again holds no token.
  await page.reload();
  await expect(page.getByTestId("scim-token")).toHaveCount(0);
  await expect(page.getByText(/A token exists/)).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByLabel("Domains provisioned addresses must be in").fill("not a domain");
  await page.getByRole("button", { name: "Save domains" }).click();
  await expect(page.getByText("Enter domains like example.gov")).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole("button", { name: "Revoke the token" }).click();
  await expect(page.getByText(/The SCIM token is revoked/)).toBeVisible();
  await expectNoAxeViolations(page);
  const refused = await page.request.get("/scim/v2/ServiceProviderConfig", {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(refused.status()).toBe(401);
});
