import { E2E_BASE_URL } from "./env";
import { e2eState, expect, expectNoAxeViolations, signIn, test, visit } from "./fixtures";

// Hostile or broken input straight at the server (no browser-side checks to hide behind):
// every answer is a clear 4xx with the message by the field, never a 5xx.

// Sent as a browser sends a form from the portal's own page: with its Origin (page.request sends
// none, and a POST with neither Origin nor the form's token is refused before it is read).
const SITE = { Origin: new URL(E2E_BASE_URL).origin };
const FORM = { ...SITE, "Content-Type": "application/x-www-form-urlencoded" };

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
    headers: SITE,
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
      headers: SITE,
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
    headers: SITE,
    form: { current: e2eState().password, password: tooLong, confirm: tooLong },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(400);
  expect(await response.text()).toContain("Use at most 256 characters");
  const wrongCurrent = await page.request.post("/account/password", {
    headers: SITE,
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

test("CV uploads: oversize, empty and disguised files are refused by the server with a message; nothing is attached", async ({
  page,
}) => {
  await signIn(page, e2eState().users.uploadTester);
  await visit(page, "/postings?q=Cyber+ranges");
  await page.getByRole("link", { name: "Cyber ranges engineer" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "Cyber ranges engineer" }),
  ).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Start an application" }).click();
  await expect(page).toHaveURL(/\/applications\/[^/]+\/edit$/);
  await expectNoAxeViolations(page);
  const editUrl = new URL(page.url()).pathname;
  const fields = {
    statement: "Statement",
    availableFrom: "",
    availableUntil: "",
    declaredClearance: "NONE",
    intent: "save",
    version: "0",
  };
  const cases = [
    {
      cv: {
        name: "cv.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 0x25),
      },
      message: "The CV must be 10 MB or smaller",
    },
    {
      cv: { name: "cv.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(0) },
      message: "The selected file is empty",
    },
    {
      cv: {
        name: "cv.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from("MZ\x90\x00\x03\x00", "latin1"),
      },
      message: "The CV must be a PDF or a Word (DOCX) document",
    },
  ];
  for (const { cv, message } of cases) {
    const response = await page.request.post(editUrl, {
      headers: SITE,
      multipart: { ...fields, cv },
      maxRedirects: 0,
    });
    expect(response.status(), message).toBe(400);
    expect(await response.text()).toContain(message);
  }
  // Nothing was saved: no CV attached, the statement still empty.
  await visit(page, editUrl);
  await expect(page.getByText("You need to attach a CV before you can submit.")).toBeVisible();
  await expect(page.getByLabel("Personal statement", { exact: true })).toHaveValue("");
});
