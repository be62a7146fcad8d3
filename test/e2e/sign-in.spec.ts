import {
  e2eState,
  expect,
  expectNoAxeViolations,
  signIn,
  signOut,
  submitSignIn,
  test,
  totpCode,
  visit,
} from "./fixtures";

const GENERIC_ERROR = "The email address or password is not right.";

test("staff sign in, see who and where they are, their sessions, and sign out", async ({
  page,
}) => {
  const { staff } = e2eState().users;
  await signIn(page, staff);

  await expect(page).toHaveURL("/");
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${staff.displayName}` }),
  ).toBeVisible();
  await expect(page.getByText(staff.institute)).toBeVisible();
  await expect(page.getByRole("banner").getByText(staff.instituteCode)).toBeVisible();

  await visit(page, "/account");
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  const sessions = page.getByRole("table", { name: "Your active sessions" });
  const thisDevice = sessions.getByRole("row").filter({ hasText: "This device" });
  await expect(thisDevice).toHaveCount(1);
  await expect(thisDevice).toContainText("Chrome");

  await signOut(page);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

  // Signed out for real: the account page now asks for a sign-in and comes back after it.
  await visit(page, "/account");
  await expect(page).toHaveURL("/login?redirectTo=%2Faccount");
});

test("sign in works without JavaScript, and a wrong password shows the error with the form", async ({
  openPage,
}) => {
  const { staffNoJs } = e2eState().users;
  const page = await openPage({ javaScriptEnabled: false, label: "no-JS page" });
  await visit(page, "/login");

  await submitSignIn(page, staffNoJs.email, "not the right password at all");
  await expect(page).toHaveURL("/login");
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("You could not be signed in");
  await expect(alert).toContainText(GENERIC_ERROR);
  // The message sits with the form, and the form is still there to try again.
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await expectNoAxeViolations(page);

  await submitSignIn(page, staffNoJs.email, e2eState().password);
  await expect(page).toHaveURL("/");
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${staffNoJs.displayName}` }),
  ).toBeVisible();
  await expect(page.getByText(staffNoJs.institute)).toBeVisible();
  await expectNoAxeViolations(page);
});

test("with JavaScript the sign-in form is checked before it is sent; zod arrives after the page", async ({
  page,
}) => {
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST") posts.push(r.url());
  });
  // The sign-in page leaves its schema (and zod) out of its first download and imports it when
  // the browser is idle (docs/performance.md, "JavaScript per page").
  const schema = page.waitForResponse((r) => /\/assets\/schema-[\w-]+\.js$/.test(r.url()));
  await visit(page, "/login");
  expect((await schema).status()).toBe(200);

  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Enter an email address")).toBeVisible();
  await expect(page.getByLabel("Email address")).toBeFocused();
  await expectNoAxeViolations(page);
  expect(posts).toEqual([]);

  await page.getByLabel("Email address").fill("sam.okafor@us-aisi.example");
  await expect(page.getByText("Enter an email address")).toHaveCount(0);
  expect(posts).toEqual([]);

  // The address goes to the portal, which knows whether an institute's provider answers for it;
  // here none does, so the password step follows, with focus in its field.
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Signing in as sam.okafor@us-aisi.example")).toBeVisible();
  await expect(page.getByLabel("Password", { exact: true })).toBeFocused();
  await expectNoAxeViolations(page);
  expect(posts).toHaveLength(1);
  await page.keyboard.press("Enter");
  await expect(page.getByText("Enter your password")).toBeVisible();
  await expect(page.getByLabel("Password", { exact: true })).toBeFocused();
  expect(posts).toHaveLength(1);
  await expectNoAxeViolations(page);
});

test("a wrong password and an unknown email get the very same answer", async ({ page }) => {
  const { staffWrongPassword } = e2eState().users;
  await visit(page, "/login");

  async function attempt(email: string, password: string) {
    const response = page.waitForResponse(
      (r) =>
        r.request().method() === "POST" &&
        new URL(r.url()).pathname.startsWith("/login") &&
        Boolean(r.request().postData()?.includes("password=")),
    );
    await submitSignIn(page, email, password);
    const status = (await response).status();
    const alert = page.getByRole("alert");
    await expect(alert).toBeVisible();
    await expectNoAxeViolations(page);
    return { status, text: (await alert.innerText()).trim() };
  }

  const wrongPassword = await attempt(staffWrongPassword.email, "definitely-not-the-password");
  expect(wrongPassword.text).toContain(GENERIC_ERROR);

  await page.reload();
  await expectNoAxeViolations(page);
  const unknownEmail = await attempt("nobody.by.this.name@us-aisi.example", "whatever-password");
  expect(unknownEmail).toEqual(wrongPassword);
  await expect(page).toHaveURL("/login");
});

test("a person signs in with a TOTP code, and the same code is refused when replayed", async ({
  page,
  openPage,
}) => {
  const { staffMfa } = e2eState().users;
  await visit(page, "/login");
  await submitSignIn(page, staffMfa.email, e2eState().password);
  await expect(page).toHaveURL("/login/mfa?redirectTo=%2F");
  await expect(
    page.getByRole("heading", { level: 1, name: "Two-step verification" }),
  ).toBeVisible();
  await expectNoAxeViolations(page);

  // Half signed in is not signed in.
  await visit(page, "/applications");
  await expect(page).toHaveURL(/\/login\/mfa$/);

  const code = totpCode(staffMfa.mfaKey!);
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL("/");
  await expect(
    page.getByRole("heading", { level: 1, name: `Welcome, ${staffMfa.displayName}` }),
  ).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Applications" }),
  ).toBeVisible();
  await expectNoAxeViolations(page);

  // Someone who saw the code tries it in their own browser, with the password.
  const other = await openPage({ label: "replay page" });
  await visit(other, "/login");
  await submitSignIn(other, staffMfa.email, e2eState().password);
  await expect(other).toHaveURL(/\/login\/mfa/);
  await expectNoAxeViolations(other);
  await other.getByLabel("Code").fill(code);
  await other.getByRole("button", { name: "Continue" }).click();
  await expect(other.getByLabel("Code")).toHaveAccessibleDescription(
    /That code is not right, or it has already been used/,
  );
  await expect(other).toHaveURL(/\/login\/mfa/);
  await expectNoAxeViolations(other);
  await visit(other, "/");
  await expect(other).toHaveURL(/\/login\/mfa$/);

  // The first session is unaffected.
  await visit(page, "/applications");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page).toHaveURL("/applications");
});
