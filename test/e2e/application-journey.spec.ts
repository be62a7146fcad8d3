import type { Page } from "@playwright/test";
import { dayAfter, localDateTimeAfter } from "#test/support/clock";
import { e2eState, expect, expectNoAxeViolations, signIn, test, visit } from "./fixtures";

// The whole exchange, across four browser sign-ins: US HR publish a posting, a UK researcher
// applies, their line manager releases them, US HR start the review and assign a reviewer, the
// reviewer declares no conflict and scores, HR shortlist and offer, the researcher accepts.

const TITLE = `Joint testing secondment ${Date.now().toString(36)}`;
const PDF = Buffer.from(
  "%PDF-1.4\n% Idris Applicant CV\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
);
const EXE = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]);

// The server runs on the real clock: the posting closes eight weeks from today at 17:00 in
// Washington and starts after that; the researchers are free from then on.
const DEADLINE = localDateTimeAfter(56, "17:00");

/** How a London viewer reads a wall-clock time in New York ("31 Jan 2027, 22:00 GMT"). */
function inLondon(newYorkLocal: string) {
  // New York's offset from UTC at an instant, as Intl names it ("GMT-05:00").
  const offset = (at: number) => {
    const name = new Intl.DateTimeFormat("en-US", {
      timeZone: "America/New_York",
      timeZoneName: "longOffset",
    })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")!.value;
    const [, sign, hours, minutes] = /GMT([+-])(\d\d):(\d\d)/.exec(name)!;
    return (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  };
  const wall = Date.parse(`${newYorkLocal}:00Z`);
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/London",
    timeZoneName: "short",
  }).format(wall - offset(wall - offset(wall)));
}

async function clickAndCheck(
  page: Page,
  name: string | RegExp,
  heading?: string | RegExp,
  url?: RegExp,
) {
  await page.getByRole("button", { name, exact: typeof name === "string" }).click();
  if (url) await expect(page).toHaveURL(url);
  if (heading) await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await expectNoAxeViolations(page);
}

/** Follows a main-menu link and checks the page it leads to. */
async function nav(page: Page, link: string, heading: string) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
  await expectNoAxeViolations(page);
}

async function expectStatus(page: Page, status: string) {
  await expect(page.locator("main p > span").filter({ hasText: status }).first()).toBeVisible();
}

test("a UK researcher applies to a US posting: release, review, offer and acceptance", async ({
  page: hr,
  openPage,
}) => {
  test.setTimeout(240_000);
  const users = e2eState().users;

  // 1. US HR create the posting and publish it.
  await signIn(hr, users.journeyHostHr);
  await nav(hr, "Postings", "Secondment postings");
  await hr.getByRole("link", { name: /Manage your institute/ }).click();
  await expect(hr.getByRole("heading", { level: 1, name: "Manage postings" })).toBeVisible();
  await expectNoAxeViolations(hr);
  await hr.getByRole("link", { name: "New posting" }).click();
  await expect(hr.getByRole("heading", { level: 1, name: "New posting" })).toBeVisible();
  await expectNoAxeViolations(hr);
  await hr.getByLabel("Title", { exact: true }).fill(TITLE);
  await hr.getByLabel("Team", { exact: true }).fill("Joint testing");
  await hr
    .getByLabel("Description", { exact: true })
    .fill("Run **joint testing exercises** with us for six months.");
  await hr
    .getByRole("group", { name: "Required expertise" })
    .getByLabel("Evaluations", { exact: true })
    .check();
  await hr.getByLabel("Location", { exact: true }).fill("Washington DC");
  await hr.getByLabel("Duration (months)", { exact: true }).fill("6");
  await hr.getByLabel("Places", { exact: true }).fill("1");
  await hr.getByLabel("Earliest start", { exact: true }).fill(dayAfter(84));
  await hr.getByLabel("Latest start", { exact: true }).fill(dayAfter(145));
  await hr.getByLabel("Application deadline", { exact: true }).fill(DEADLINE);
  await clickAndCheck(hr, "Save draft", TITLE);
  await expect(hr.getByText("Posting saved as a draft")).toBeVisible();
  await clickAndCheck(hr, "Publish", TITLE);
  await expect(hr.getByText("Open", { exact: true })).toBeVisible();
  const postingUrl = hr.url();
  // The edit form shows the deadline as it was typed, in the host's zone.
  await visit(hr, `${postingUrl}/edit`);
  await expect(hr.getByLabel("Application deadline", { exact: true })).toHaveValue(DEADLINE);

  // 2. The UK researcher finds it, is refused a disguised executable, and applies.
  const applicant = await openPage({ label: "applicant" });
  await signIn(applicant, users.journeyApplicant);
  await nav(applicant, "Postings", "Secondment postings");
  await applicant
    .getByLabel("Search titles, teams, descriptions and locations", { exact: true })
    .fill(TITLE);
  await clickAndCheck(applicant, "Search", "Secondment postings", /q=Joint/);
  await applicant.getByRole("link", { name: TITLE }).click();
  await expect(applicant.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  // The deadline is shown in the viewer's zone (London), with the host's time beside it.
  await expect(applicant.getByText(inLondon(DEADLINE))).toBeVisible();
  await expectNoAxeViolations(applicant);
  await clickAndCheck(applicant, "Start an application", "Your application");
  await applicant
    .getByLabel("Personal statement", { exact: true })
    .fill("I run joint testing exercises at the UK AISI and want to learn the US test harness.");
  await applicant.getByLabel("Available from", { exact: true }).fill(dayAfter(84));
  await applicant.getByLabel("Available until", { exact: true }).fill(dayAfter(268));
  await applicant
    .getByLabel("Your current clearance", { exact: true })
    .selectOption("SECURITY_CHECK");
  await applicant
    .getByLabel("CV", { exact: true })
    .setInputFiles({ name: "cv.pdf", mimeType: "application/pdf", buffer: EXE });
  await clickAndCheck(applicant, "Submit application");
  await expect(applicant.getByText("The CV must be a PDF or a Word (DOCX) document")).toBeVisible();
  await applicant
    .getByLabel("CV", { exact: true })
    .setInputFiles({ name: "cv.pdf", mimeType: "application/pdf", buffer: PDF });
  await clickAndCheck(
    applicant,
    "Submit application",
    "Your application",
    /\/applications\/[^/]+$/,
  );
  await expectStatus(applicant, "Awaiting release");
  const applicationUrl = applicant.url();

  // 3. The line manager releases them.
  const manager = await openPage({ label: "manager" });
  await signIn(manager, users.journeyManager);
  await nav(manager, "Applications", "Applications");
  const releases = manager.getByRole("region", { name: /Releases to decide/ });
  await releases.getByRole("link", { name: "Idris Applicant" }).click();
  await expect(manager.getByRole("heading", { level: 1, name: /Idris Applicant/ })).toBeVisible();
  await expectNoAxeViolations(manager);
  await manager
    .getByLabel("Comment", { exact: true })
    .fill("Released: the team will cover the work.");
  await clickAndCheck(manager, "Release");
  await expectStatus(manager, "Released by line manager");

  // 4. Host HR start the review and assign a reviewer.
  await visit(hr, `${postingUrl}/pipeline?page=abc`);
  await expect(
    hr.getByRole("alert").filter({ hasText: '"abc" is not a page number' }),
  ).toBeVisible();
  const stages = hr.getByRole("navigation", { name: "Stages" });
  await expect(stages.getByRole("link", { name: "Released by line manager (1)" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(stages.getByRole("link", { name: "Under review (0)" })).toBeVisible();
  await expectNoAxeViolations(hr);
  await hr.getByRole("link", { name: "Idris Applicant" }).click();
  await expect(hr.getByRole("heading", { level: 1, name: /Idris Applicant/ })).toBeVisible();
  await expectNoAxeViolations(hr);
  await expect(hr.getByText("Released: the team will cover the work.")).toBeVisible();
  await clickAndCheck(hr, "Start review");
  await expectStatus(hr, "Under review");
  await hr.getByLabel("Find a colleague to review").fill("rhea");
  await hr.getByRole("button", { name: "Find", exact: true }).click();
  await expect(hr).toHaveURL(/\?reviewer=rhea/);
  await expectNoAxeViolations(hr);
  await hr
    .getByLabel("Assign a reviewer", { exact: true })
    .selectOption({ label: "Rhea Reviewer (End-to-end tester)" });
  // Assigning leaves the search's URL (?reviewer=…) for the application's own: a new view, checked
  // once it has arrived.
  await hr.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(hr.getByText("Reviewer assigned and emailed.")).toBeVisible();
  await expectNoAxeViolations(hr);

  // 5. The reviewer declares no conflict, then scores.
  const reviewer = await openPage({ label: "reviewer" });
  await signIn(reviewer, users.journeyReviewer);
  await visit(reviewer, "/applications");
  await reviewer
    .getByRole("region", { name: /Reviews assigned to you/ })
    .getByRole("link", { name: "Idris Applicant" })
    .click();
  await expect(reviewer.getByRole("heading", { name: "Conflict of interest" })).toBeVisible();
  await expect(reviewer.getByText("I run joint testing exercises")).toHaveCount(0);
  await expectNoAxeViolations(reviewer);
  await clickAndCheck(reviewer, "I have no conflict of interest");
  await expect(reviewer.getByText("I run joint testing exercises")).toBeVisible();
  for (const [criterion, score] of [
    ["Relevant expertise", "4"],
    ["Fit with the team's work", "3"],
    ["Contribution to the partnership", "4"],
    ["Readiness (clearance, timing)", "3"],
  ] as const) {
    await reviewer
      .getByRole("group", { name: criterion })
      .getByLabel("Score (1 low, 4 high)", { exact: true })
      .selectOption(score);
  }
  await clickAndCheck(reviewer, "Submit review");
  await expect(reviewer.getByRole("heading", { name: "Submitted reviews" })).toBeVisible();

  // 6. Host HR see the aggregate, shortlist and offer.
  await visit(hr, hr.url());
  await expect(hr.getByText(/1 of 1 reviews submitted; mean score 3\.50 of 4/)).toBeVisible();
  await clickAndCheck(hr, "Shortlist");
  await clickAndCheck(hr, "Make offer");
  await expectStatus(hr, "Offer made");

  // 7. The applicant sees the offer, but no score or note, and accepts.
  await visit(applicant, applicationUrl);
  await expectStatus(applicant, "Offer made");
  await expect(applicant.getByText(/mean score|Submitted reviews/)).toHaveCount(0);
  await clickAndCheck(applicant, "Accept offer");
  await expectStatus(applicant, "Offer accepted");
  const timeline = applicant.getByRole("region", { name: "Timeline" });
  for (const step of [
    "Awaiting release",
    "Released by line manager",
    "Under review",
    "Shortlisted",
    "Offer made",
    "Offer accepted",
  ])
    await expect(timeline.getByText(step, { exact: true })).toBeVisible();

  // The posting's one place is taken: it is filled.
  await visit(hr, postingUrl);
  await expect(hr.getByText("Filled", { exact: true })).toBeVisible();

  // The acceptance created a placement with the host's clearance checklist.
  await nav(hr, "Placements", "Placements");
  await hr.getByRole("link", { name: "Idris Applicant" }).click();
  await expect(
    hr.getByRole("heading", { level: 1, name: "Placement: Idris Applicant" }),
  ).toBeVisible();
  await expectNoAxeViolations(hr);
  const it = hr
    .getByRole("listitem")
    .filter({ has: hr.getByRole("heading", { name: "IT accounts created" }) });
  await expect(it.getByText("Blocked", { exact: true })).toBeVisible();
  await clickAndCheck(hr, "Start clearance");
  await expect(hr.getByText("Clearing", { exact: true })).toBeVisible();
  await clickAndCheck(hr, "Activate placement");
  await expect(
    hr.getByText(/It cannot start yet\. Still to do or waive: Home release letter/),
  ).toBeVisible();
  await nav(hr, "Placements", "Placements");
  await hr.getByRole("link", { name: "Checklist templates" }).click();
  await expect(hr.getByRole("heading", { level: 1, name: "Checklist templates" })).toBeVisible();
  await expectNoAxeViolations(hr);
  await hr.getByRole("link", { name: "Incoming secondee from the UK AISI" }).click();
  await expect(
    hr.getByRole("heading", { level: 1, name: "Incoming secondee from the UK AISI" }),
  ).toBeVisible();
  await expectNoAxeViolations(hr);
});

test("applying works without JavaScript: start, fill in, attach a CV, submit", async ({
  openPage,
}) => {
  const page = await openPage({ javaScriptEnabled: false });
  await signIn(page, e2eState().users.applicantNoJs);
  await visit(page, "/postings?q=Cyber+ranges");
  await page.getByRole("link", { name: "Cyber ranges engineer" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "Cyber ranges engineer" }),
  ).toBeVisible();
  await expectNoAxeViolations(page);
  await clickAndCheck(page, "Start an application", "Your application", /\/edit$/);
  await page
    .getByLabel("Personal statement", { exact: true })
    .fill("I build cyber ranges at the UK AISI.");
  await page.getByLabel("Available from", { exact: true }).fill(dayAfter(112));
  await page.getByLabel("Available until", { exact: true }).fill(dayAfter(203));
  await page
    .getByLabel("CV", { exact: true })
    .setInputFiles({ name: "cv.pdf", mimeType: "application/pdf", buffer: PDF });
  await clickAndCheck(page, "Submit application", "Your application", /\/applications\/[^/]+$/);
  await expectStatus(page, "Awaiting release");
  await expect(page.getByRole("link", { name: /Download CV \(cv\.pdf/ })).toBeVisible();
});
