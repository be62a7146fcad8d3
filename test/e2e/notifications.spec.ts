import { e2eState, expect, expectNoAxeViolations, signIn, test, visit } from "./fixtures";

// A password reset is asked for: the person then sees it counted in the header and listed on the
// notifications page, marks it read, and chooses which kinds of notification are also emailed.

test("the header counts unread notifications; the page lists and marks them; choices are kept", async ({
  page,
}) => {
  const { users } = e2eState();
  await visit(page, "/forgot-password");
  await page.getByLabel("Email address").fill(users.notified.email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByRole("status")).toContainText("Check your email");
  await expectNoAxeViolations(page);

  await signIn(page, users.notified);
  const header = page.getByRole("banner");
  await expect(header.getByRole("link", { name: "Notifications 1 unread" })).toBeVisible();
  await header.getByRole("link", { name: /^Notifications/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  await expectNoAxeViolations(page);
  const item = page.getByRole("listitem").filter({ hasText: "Password reset links" });
  await expect(item).toContainText("Unread");
  // The reset link itself is only in the email, never kept in the portal.
  await expect(item.getByRole("link")).toHaveCount(0);

  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByText("1 marked as read.")).toBeVisible();
  await expectNoAxeViolations(page);
  await expect(header.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();
  await expect(item).not.toContainText("Unread");

  // Choices: security emails are fixed; another kind can be made in-app only, and stays so.
  await page.getByRole("link", { name: "Choose what is emailed" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Email or in-app" })).toBeVisible();
  await expectNoAxeViolations(page);
  const reset = page.getByRole("checkbox", { name: "Password reset links" });
  await expect(reset).toBeChecked();
  await expect(reset).toBeDisabled();
  const updates = page.getByRole("checkbox", { name: "Changes to applications" });
  await expect(updates).toBeChecked();
  await updates.uncheck();
  await page.keyboard.press("Tab");
  await page.getByRole("button", { name: "Save choices" }).click();
  await expect(page.getByText("Your choices are saved.")).toBeVisible();
  await expectNoAxeViolations(page);
  await visit(page, "/account/notifications");
  await expect(page.getByRole("checkbox", { name: "Changes to applications" })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Reviews assigned to you" })).toBeChecked();
});
