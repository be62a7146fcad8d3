import { e2eState, expect, expectNoAxeViolations, signIn, test, visit } from "./fixtures";

test("search the directory, narrow by a facet, and open a profile with similar people", async ({
  page,
}) => {
  await signIn(page, e2eState().users.directorySearcher);
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Directory" })
    .click();
  await expect(
    page.getByRole("heading", { level: 1, name: "Directory of expertise" }),
  ).toBeVisible();
  await expectNoAxeViolations(page);

  await page
    .getByLabel("Search by name, title, expertise, skills or publications")
    .fill("interpretability");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/q=interpretability/);
  const results = page.locator("section[aria-labelledby=results-heading]");
  await expect(
    page.getByRole("heading", { name: /people matching “interpretability”/ }),
  ).toBeVisible();
  await expect(results.locator("mark").first()).toBeVisible();
  await expectNoAxeViolations(page);

  // Tick the first institute facet: the page reloads with it in the URL, and only its people remain.
  const filters = page.getByRole("complementary", { name: "Filters" });
  const instituteBox = filters
    .getByRole("group", { name: "Institute" })
    .getByRole("checkbox")
    .first();
  const instituteName = (
    await filters.getByRole("group", { name: "Institute" }).locator("label").first().innerText()
  ).replace(/\s*\(\d+\)\s*$/, "");
  await instituteBox.check();
  await expect(page).toHaveURL(/institute=[A-Z]/);
  await expectNoAxeViolations(page);
  const cards = page.locator("section[aria-labelledby=results-heading] li");
  const count = await cards.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) await expect(cards.nth(i)).toContainText(instituteName);

  // The URL is the whole state: opening it afresh gives the same first result.
  const first = await cards.first().getByRole("link").first().textContent();
  await visit(page, page.url());
  await expect(cards.first().getByRole("link").first()).toHaveText(first!);

  await cards.first().getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1, name: first! })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Similar people" })).toBeVisible();
  await expectNoAxeViolations(page);
});

test("directory search works without JavaScript, facets included", async ({ openPage }) => {
  const page = await openPage({ javaScriptEnabled: false });
  await signIn(page, e2eState().users.directoryPartner);
  await visit(page, "/directory?q=cyber");
  await expect(page.getByRole("heading", { name: /people matching “cyber”/ })).toBeVisible();
  await page.getByRole("complementary", { name: "Filters" }).getByRole("checkbox").first().check();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/q=cyber&/);
  await expectNoAxeViolations(page);
});

test("unknown profiles and hostile search parameters give pages, not errors", async ({ page }) => {
  await signIn(page, e2eState().users.directoryPartner);
  const missing = await page.request.get("/directory/no-such-person");
  expect(missing.status()).toBe(404);
  await visit(page, "/directory/no-such-person");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  for (const query of [
    "q=%27%29%3B+DROP+TABLE&page=abc",
    "q=a+%26+%7C+%21+%3A*&institute=NOPE",
    "page=999999&expertise=%3Cscript%3E",
    `q=${"x".repeat(3000)}`,
  ]) {
    const response = await page.request.get(`/directory?${query}`);
    expect(response.status(), query).toBe(200);
  }
});

test("edit one's own profile; a private bio is hidden from a partner institute", async ({
  page,
  openPage,
}) => {
  const { directoryEditor, directoryPartner } = e2eState().users;
  await signIn(page, directoryEditor);
  await visit(page, "/directory/me/edit");
  await page
    .getByLabel("About you")
    .fill("I design **sabre-tooth** evaluations of model autonomy.");
  await page
    .getByRole("textbox", { name: "Skills", exact: true })
    .fill("Inspect, agent scaffolding");
  await page.getByLabel("Who can see your bio").selectOption("PRIVATE");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: directoryEditor.displayName }),
  ).toBeVisible();
  await expect(page.getByText("sabre-tooth")).toBeVisible();
  await expect(page.locator("strong", { hasText: "sabre-tooth" })).toBeVisible();
  await expectNoAxeViolations(page);
  const profileUrl = page.url();

  // A person at the partner institute sees the skills but not the private bio, and cannot find it.
  const partner = await openPage();
  await signIn(partner, directoryPartner);
  await visit(partner, profileUrl);
  await expect(partner.getByText("Inspect, agent scaffolding", { exact: true })).toBeVisible();
  await expect(partner.getByText("sabre-tooth")).toHaveCount(0);
  await visit(partner, "/directory?q=sabre-tooth");
  await expect(partner.getByRole("link", { name: directoryEditor.displayName })).toHaveCount(0);
});

test("a profile can be edited without JavaScript, and saved values survive a second save", async ({
  openPage,
}) => {
  const page = await openPage({ javaScriptEnabled: false });
  const user = e2eState().users.directoryNoJs;
  await signIn(page, user);
  await visit(page, "/directory/me/edit");
  await page.getByRole("textbox", { name: "Skills", exact: true }).fill("Threat modelling, Rust");
  await page.getByRole("textbox", { name: "Location", exact: true }).fill("Edinburgh");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("heading", { level: 1, name: user.displayName })).toBeVisible();
  await expect(page.getByText("Threat modelling, Rust")).toBeVisible();
  await expectNoAxeViolations(page);
  // Saving again untouched keeps everything (the form was rendered with its values).
  await visit(page, "/directory/me/edit");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Threat modelling, Rust")).toBeVisible();
  await expect(page.getByText("Edinburgh", { exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
});
