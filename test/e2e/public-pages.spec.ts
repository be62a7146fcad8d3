import type { Page } from "@playwright/test";
import { e2eState, expect, expectNoAxeViolations, signIn, test, visit } from "./fixtures";

test("forgot password answers the same for a known and an unknown address", async ({ page }) => {
  async function ask(email: string) {
    await visit(page, "/forgot-password");
    await expect(
      page.getByRole("heading", { level: 1, name: "Reset your password" }),
    ).toBeVisible();
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: "Send the link" }).click();
    const answer = page.getByRole("status");
    await expect(answer).toContainText("Check your email");
    await expectNoAxeViolations(page);
    return { url: page.url(), text: (await page.locator("main").innerText()).trim() };
  }

  const known = await ask("owen.griffiths@uk-aisi.example");
  const unknown = await ask("no.such.person@uk-aisi.example");
  expect(unknown).toEqual(known);
  expect(known.text).toContain("If an account uses that address");
});

async function expectNotFound(page: Page, url: string) {
  const response = await visit(page, url);
  expect(response?.status(), `${url} should answer 404`).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
}

test("unknown addresses, and admin pages for staff, are a plain 404 page", async ({ page }) => {
  await expectNotFound(page, "/no-such-page");
  await expectNotFound(page, "/admin/no/such/page/either");
  // The load-test baselines exist only in a benchmark build (app/routes.ts), not in this one.
  await expectNotFound(page, "/bench/static");
  await expectNotFound(page, "/bench/lookup?id=x");

  await signIn(page, e2eState().users.staffForbidden);
  await expectNotFound(page, "/no-such-page");
  // Forbidden looks exactly like missing: no hint that the page exists.
  await expectNotFound(page, "/admin/users");
  await expectNotFound(page, "/admin/users/new");
  await expectNotFound(page, "/admin/outbox");
  // Still signed in, and still offered no admin navigation.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }),
  ).toHaveCount(0);
});

test("keyboard: the sign-in page tabs through skip link, email, continue", async ({ page }) => {
  await visit(page, "/login");

  const describe = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return "body";
      const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
      return `${el.tagName.toLowerCase()}:${(label ?? el.textContent ?? "").trim()}`;
    });

  const order: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    await page.keyboard.press("Tab");
    order.push(await describe());
  }
  expect(order[0], `Tab order was: ${order.join(" → ")}`).toBe("a:Skip to main content");
  const at = (name: string) => order.indexOf(name);
  expect(at("input:Email address"), order.join(" → ")).toBeGreaterThan(0);
  expect(at("button:Continue")).toBe(at("input:Email address") + 1);

  // The skip link shows itself when focused, and jumps past the header.
  await page.goto("/login");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await expectNoAxeViolations(page);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  await expectNoAxeViolations(page);
  const focusIsInMain = await page.evaluate(() => {
    const main = document.querySelector("main");
    return (
      main !== null && (document.activeElement === main || main.contains(document.activeElement))
    );
  });
  expect(focusIsInMain, "after the skip link, focus should be on <main>").toBe(true);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Email address")).toBeFocused();
});
