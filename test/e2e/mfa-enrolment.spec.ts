import {
  addVirtualAuthenticator,
  decodeBase32,
  e2eState,
  expect,
  expectNoAxeViolations,
  signIn,
  test,
  totpCode,
  visit,
} from "./fixtures";

test("a person turns on two-step verification with an authenticator app", async ({ page }) => {
  const { staffEnrol } = e2eState().users;
  await signIn(page, staffEnrol);
  await visit(page, "/account/mfa");
  await expect(
    page.getByRole("heading", { level: 1, name: "Set up two-step verification" }),
  ).toBeVisible();
  const qr = page.getByRole("img", { name: /QR code for your authenticator app/ });
  await expect(qr.locator("svg")).toBeVisible();

  const secret = (await page.locator("main code").innerText()).trim();
  expect(secret).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
  expect(decodeBase32(secret)).toHaveLength(20);

  // The right code with a wrong password: refused, with the reason next to the password field
  // (someone holding a stolen session cannot tie the account to their own authenticator).
  await expect(page.getByLabel("Current password")).toHaveAttribute(
    "autocomplete",
    "current-password",
  );
  await page.getByLabel("6-digit code").fill(totpCode(secret));
  await page.getByLabel("Current password").fill("not the password of this account");
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await expect(page.getByLabel("Current password")).toHaveAccessibleDescription(
    /Your current password is not right/,
  );
  await expect(
    page.getByRole("heading", { level: 1, name: "Set up two-step verification" }),
  ).toBeVisible();

  // A wrong code with the right password: refused, with the reason next to the code field.
  const wrong = String((Number(totpCode(secret)) + 500_000) % 1_000_000).padStart(6, "0");
  await page.getByLabel("6-digit code").fill(wrong);
  await page.getByLabel("Current password").fill(e2eState().password);
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await expect(page.getByLabel("6-digit code")).toHaveAccessibleDescription(
    /That code is not right/,
  );
  await expectNoAxeViolations(page);

  await page.getByLabel("6-digit code").fill(totpCode(secret));
  await page.getByLabel("Current password").fill(e2eState().password);
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "Two-step verification is on" }),
  ).toBeVisible();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const texts = await codes.allInnerTexts();
  expect(new Set(texts).size).toBe(10);
  for (const code of texts) expect(code.trim()).toMatch(/^[a-z2-7]{5}(-[a-z2-7]{5}){4}$/);
  await expectNoAxeViolations(page);

  await page.getByRole("link", { name: "I have saved them: continue" }).click();
  await expect(page).toHaveURL("/");
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${staffEnrol.displayName}` }),
  ).toBeVisible();
  await expectNoAxeViolations(page);

  await visit(page, "/account");
  await expect(page.locator("main p", { hasText: "Two-step verification:" })).toContainText(
    "On · 10 recovery codes left",
  );
});

test("an admin with only TOTP must add a passkey, then confirm the sign-in with it", async ({
  page,
}) => {
  const { adminNoPasskey } = e2eState().users;
  await addVirtualAuthenticator(page);
  await signIn(page, adminNoPasskey);
  await expect(page).toHaveURL("/account/passkeys");
  await expect(page.getByRole("status")).toContainText("Required for your role");

  for (const elsewhere of ["/admin/users", "/admin/users/new", "/admin/outbox", "/"]) {
    await visit(page, elsewhere);
    await expect(page, `${elsewhere} should send them to add a passkey`).toHaveURL(
      "/account/passkeys",
    );
  }

  await page.getByLabel("Name").fill("Admin laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  // A password and TOTP are not phishing-resistant: the passkey step comes next.
  await expect(page).toHaveURL(/\/login\/mfa/);
  await expect(
    page.getByRole("heading", { level: 1, name: "Confirm with your passkey" }),
  ).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL("/");
  await expectNoAxeViolations(page);
  await visit(page, "/admin/users");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  await visit(page, "/account/passkeys");
  await expect(page.getByRole("heading", { level: 3, name: "Admin laptop" })).toBeVisible();
});
