import { e2eState, expect, expectNoAxeViolations, signIn, test } from "./fixtures";

// HR see their institute's dashboard: charts as labelled images, each with its numbers as a table,
// and filters that keep working without a fight. Axe checks the charts with the rest of the page.

test("HR see the dashboard's charts with their numbers, and can filter them", async ({ page }) => {
  const { users } = e2eState();
  await signIn(page, users.dashboardHr);
  await page.getByRole("link", { name: "Dashboard", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "HR dashboard" })).toBeVisible();
  await expectNoAxeViolations(page);
  for (const title of [
    "Applications to postings you host, by stage",
    "Applications by your staff, by stage",
    "Placements you host or send, by status",
    "Overdue checklist items, by whose turn it is",
    "Applications by days to decision",
  ]) {
    const figure = page.getByRole("figure", { name: title });
    await expect(
      figure.getByRole("img", { name: new RegExp(`^${title}: bar chart`) }),
    ).toBeVisible();
    await expect(figure.getByRole("table", { name: `${title}: the numbers` })).toBeVisible();
  }
  const placements = page.getByRole("table", {
    name: "Placements you host or send, by status: the numbers",
  });
  await expect(
    placements.getByRole("row", { name: /Planned|Clearing|Active/ }).first(),
  ).toBeVisible();

  await page.getByLabel("Submitted from", { exact: true }).fill("2099-01-01");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/from=2099-01-01/);
  await expect(page.getByRole("heading", { level: 1, name: "HR dashboard" })).toBeVisible();
  await expectNoAxeViolations(page);
  await expect(page.getByText("No application has been decided in this period.")).toBeVisible();
});
