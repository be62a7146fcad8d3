import { e2eState, expect, signIn, test, visit } from "./fixtures";

// Hostile or broken input straight at the server (no browser-side checks to hide behind):
// every answer is a clear 4xx with the message by the field, never a 5xx.

const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

test("sign-in rejects non-UTF-8, control characters, overlong and missing fields with a message", async ({
  page,
}) => {
  await visit(page, "/login");
  // %FF%FE is not UTF-8: it decodes to U+FFFD, which no email address may contain.
  const notUtf8 = await page.request.post("/login", {
    headers: FORM,
    data: Buffer.from("email=%FF%FEname%40x.example&password=whatever", "latin1"),
    maxRedirects: 0,
  });
  expect(notUtf8.status()).toBe(400);
  expect(await notUtf8.text()).toContain("Enter an email address in the right format");

  const control = await page.request.post("/login", {
    headers: FORM,
    data: "email=a%00b%40x.example&password=x",
    maxRedirects: 0,
  });
  expect(control.status()).toBe(400);
  expect(await control.text()).toContain("Enter an email address in the right format");

  const overlong = await page.request.post("/login", {
    form: { email: `${"a".repeat(300)}@x.example`, password: "p".repeat(5000) },
    maxRedirects: 0,
  });
  expect(overlong.status()).toBe(400);
  expect(await overlong.text()).toContain("Email address must be 254 characters or fewer");

  const missing = await page.request.post("/login", { headers: FORM, data: "", maxRedirects: 0 });
  expect(missing.status()).toBe(400);
  expect(await missing.text()).toContain("Enter an email address");

  // A duplicated field cannot smuggle a second value past validation.
  const duplicated = await page.request.post("/login", {
    headers: FORM,
    data: "email=&email=someone%40x.example&password=x",
    maxRedirects: 0,
  });
  expect(duplicated.status()).toBe(400);
});

test("reset links: garbage, reused and unknown tokens give a clear page, never an error", async ({
  page,
}) => {
  for (const token of ["not-a-token", "a".repeat(32), "%00%FF", "x".repeat(5000)]) {
    const response = await page.request.get(`/reset-password/${token}`, { maxRedirects: 0 });
    expect(response.status(), token).toBeLessThan(500);
    const posted = await page.request.post(`/reset-password/${token}`, {
      form: { password: "a long enough new password", confirm: "a long enough new password" },
      maxRedirects: 0,
    });
    expect(posted.status(), token).toBe(400);
    expect(await posted.text()).toContain("expired or has already been used");
  }
  await visit(page, "/reset-password/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  await expect(page.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
});

test("a signed-in user's password change refuses bad input and keeps the old password", async ({
  page,
}) => {
  const user = e2eState().users.staffForbidden;
  await signIn(page, user);
  await visit(page, "/account/password");
  const tooLong = "x".repeat(300);
  const response = await page.request.post("/account/password", {
    form: { current: e2eState().password, password: tooLong, confirm: tooLong },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(400);
  expect(await response.text()).toContain("Use at most 256 characters");
  const wrongCurrent = await page.request.post("/account/password", {
    form: {
      current: "not my password",
      password: "another long password here",
      confirm: "another long password here",
    },
    maxRedirects: 0,
  });
  expect(wrongCurrent.status()).toBe(400);
  expect(await wrongCurrent.text()).toContain("Your current password is not right");
  // Nothing changed: the old password still works in a fresh browser.
  const fresh = await page.context().browser()!.newContext();
  const other = await fresh.newPage();
  await signIn(other, user);
  await expect(other.getByRole("heading", { name: `Welcome, ${user.displayName}` })).toBeVisible();
  await fresh.close();
});
