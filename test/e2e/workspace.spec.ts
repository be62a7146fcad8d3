import type { Page } from "@playwright/test";
import { dayAfter } from "#test/support/clock";
import { e2eState, expect, expectNoAxeViolations, signIn, test, visit } from "./fixtures";

// A US and a UK researcher run a joint testing exercise: the US researcher creates it and invites
// the UK one, both edit the Findings page at the same time (the second save is told and merges),
// and the owner registers the findings. A UK colleague outside the workspace cannot reach any of it.

async function settled(page: Page, heading: string | RegExp) {
  await expect(page.getByRole("heading", { level: 1, name: heading, exact: true })).toBeVisible();
  await expectNoAxeViolations(page);
}

test("two researchers from different institutes co-edit a joint workspace and register findings", async ({
  page: us,
  openPage,
}) => {
  test.setTimeout(240_000);
  const { users } = e2eState();
  const name = `Joint exercise ${Date.now()}`;

  // The US researcher creates a joint testing exercise, marked OFFICIAL-SENSITIVE.
  await signIn(us, users.workspaceUs);
  await visit(us, "/workspaces/new");
  await us.getByLabel("Name", { exact: true }).fill(name);
  await us
    .getByLabel("Purpose", { exact: true })
    .fill("Pre-deployment testing of a frontier model.");
  await us.getByLabel("Handling label", { exact: true }).selectOption("JOINT");
  await us.getByLabel("Protective marking", { exact: true }).selectOption("OFFICIAL_SENSITIVE");
  await us.getByLabel("Start with", { exact: true }).selectOption("JOINT_TESTING");
  await us.getByRole("button", { name: "Create workspace" }).click();
  await settled(us, name);
  const base = new URL(us.url()).pathname;
  await expect(us.getByRole("region", { name: "Protective marking" })).toContainText(
    "OFFICIAL-SENSITIVE",
  );
  await expect(us.getByRole("region", { name: "Protective marking" })).toContainText("JOINT");

  // The standard pages exist.
  await us
    .getByRole("navigation", { name: "Workspace" })
    .getByRole("link", { name: "Pages" })
    .click();
  await settled(us, "Pages");
  for (const title of ["Test plan", "Model access", "Findings", "Report"])
    await expect(us.getByRole("link", { name: title, exact: true })).toBeVisible();

  // Inviting an unknown address is refused next to the field; the UK researcher is invited.
  await visit(us, `${base}/members`);
  await us.getByLabel("Email address", { exact: true }).fill("nobody@nowhere.example");
  await us.getByRole("button", { name: "Send invitation" }).click();
  await expect(us.getByText("Nobody with an active portal account has that address")).toBeVisible();
  await expectNoAxeViolations(us);
  await us.getByLabel("Email address", { exact: true }).fill(users.workspaceUk.email);
  await us.getByLabel("Role", { exact: true }).selectOption("EDITOR");
  await us.getByRole("button", { name: "Send invitation" }).click();
  await expect(us.getByText(/Invitation sent/)).toBeVisible();
  await expectNoAxeViolations(us);

  // The UK researcher accepts on their workspaces page.
  const uk = await openPage({ label: "UK researcher" });
  await signIn(uk, users.workspaceUk);
  await visit(uk, "/workspaces");
  await uk.getByRole("button", { name: `Accept the invitation to ${name}` }).click();
  await settled(uk, name);

  // Both open the Findings page's editor from the same version.
  const findingsUrl = async (page: Page) => {
    await visit(page, `${base}/pages`);
    await page.getByRole("link", { name: "Findings", exact: true }).click();
    await settled(page, "Findings");
    return new URL(page.url()).pathname;
  };
  const findings = await findingsUrl(us);
  await visit(us, `${findings}/edit`);
  await visit(uk, `${findings}/edit`);

  // The US researcher saves first.
  const usText = "# Findings\n\n## Finding 1\nThe model completed 3 of 12 cyber range tasks.\n";
  await us.getByLabel("Text", { exact: true }).fill(usText);
  await us.getByRole("button", { name: "Save new version" }).click();
  await settled(us, "Findings");
  await expect(us.getByText("The model completed 3 of 12 cyber range tasks.")).toBeVisible();

  // The UK researcher's save, from the old version, is refused and shows both texts.
  const ukText = "# Findings\n\n## Finding 2\nRefusals held under 40 jailbreak templates.\n";
  await uk.getByLabel("Text", { exact: true }).fill(ukText);
  await uk.getByRole("button", { name: "Save new version" }).click();
  await expect(
    uk.getByRole("heading", { name: "Someone else saved this page while you were editing" }),
  ).toBeVisible();
  await expectNoAxeViolations(uk);
  await expect(uk.getByLabel(/Their version 2/)).toHaveValue(usText.trimEnd());
  await expect(uk.getByLabel("Text", { exact: true })).toHaveValue(ukText.trimEnd());
  await expect(uk.getByRole("figure")).toContainText("Removed: The model completed 3 of 12");

  // They merge and save: version 3 holds both findings.
  const merged =
    "# Findings\n\n## Finding 1\nThe model completed 3 of 12 cyber range tasks.\n\n## Finding 2\nRefusals held under 40 jailbreak templates.\n";
  await uk.getByLabel("Text", { exact: true }).fill(merged);
  await uk.getByRole("button", { name: "Save new version" }).click();
  await settled(uk, "Findings");
  await expect(uk.getByText("Version 3,", { exact: false })).toBeVisible();

  // History shows who changed what, and the difference between versions 2 and 3.
  await uk.getByRole("link", { name: "History and differences" }).click();
  await settled(uk, "History: Findings");
  await expect(uk.getByRole("row", { name: /Winnie Workspace/ })).toBeVisible();
  await expect(uk.getByRole("row", { name: /Wes Workspace/ }).first()).toBeVisible();
  await expect(uk.getByRole("figure")).toContainText("Added: Refusals held under 40");
  // Comparing any two versions, by keyboard; a version that does not exist is said so.
  await uk.getByLabel("From version").fill("1");
  await uk.getByLabel("To version").fill("3");
  await uk.getByLabel("To version").press("Enter");
  await expect(uk).toHaveURL(/\?from=1&to=3$/);
  await expect(
    uk.getByRole("figure", { name: "Changes from version 1 to version 3" }),
  ).toBeVisible();
  await expectNoAxeViolations(uk);
  // Following a row's link shows that comparison, and its numbers in the form.
  await uk.getByRole("link", { name: "What version 3 changed" }).click();
  await expect(
    uk.getByRole("figure", { name: "Changes from version 2 to version 3" }),
  ).toBeVisible();
  await expect(uk.getByLabel("From version")).toHaveValue("2");
  await expect(uk.getByLabel("To version")).toHaveValue("3");
  await expectNoAxeViolations(uk);
  await visit(uk, `${findings}/history?from=1&to=9`);
  await expect(uk.getByText(/there is no version 9\. Showing the changes/)).toBeVisible();
  await expect(
    uk.getByRole("figure", { name: "Changes from version 1 to version 3" }),
  ).toBeVisible();

  // A comment on the page; HTML in it is refused next to the field.
  await visit(uk, findings);
  await uk.getByLabel("Subject", { exact: true }).fill("Comparability of Finding 1");
  await uk.getByLabel("Comment", { exact: true }).fill('<img src=x onerror="alert(1)">');
  await uk.getByRole("button", { name: "Start discussion" }).click();
  await expect(uk.getByText("A comment cannot contain HTML.", { exact: false })).toBeVisible();
  await expectNoAxeViolations(uk);
  await uk.getByLabel("Comment", { exact: true }).fill("Same **scoring rubric** as last time?");
  await uk.getByRole("button", { name: "Start discussion" }).click();
  await expect(uk.getByRole("heading", { name: "Comparability of Finding 1" })).toBeVisible();
  await expectNoAxeViolations(uk);

  // The discussion list names the page; the thread has its own page, where the US owner replies.
  await visit(us, `${base}/discussion`);
  await expect(us.getByText("on the page “Findings”")).toBeVisible();
  await us.getByRole("link", { name: "Comparability of Finding 1" }).click();
  await settled(us, "Comparability of Finding 1");
  await us.getByLabel(/^Reply/).fill("Yes: the rubric is unchanged since the last exercise.");
  await us.getByRole("button", { name: /^Add comment/ }).click();
  await expect(us.getByText("the rubric is unchanged since the last exercise")).toBeVisible();
  await expectNoAxeViolations(us);

  // A task for the UK researcher, which shows in their "My tasks".
  await visit(us, `${base}/tasks`);
  await us.getByLabel("Task", { exact: true }).fill("Re-run the jailbreak suite");
  await us.getByLabel("Assignee", { exact: true }).selectOption({ label: "Winnie Workspace" });
  await us.getByLabel("Due date", { exact: true }).fill(dayAfter(56));
  await us.getByRole("button", { name: "Add task" }).click();
  await expect(us.getByRole("row", { name: /Re-run the jailbreak suite/ })).toBeVisible();
  await expectNoAxeViolations(us);
  await visit(uk, "/tasks");
  await expect(uk.getByRole("row", { name: /Re-run the jailbreak suite/ })).toContainText(name);

  // A file: its download carries the marking in its name.
  await visit(us, `${base}/files`);
  await us.getByLabel("File", { exact: true }).setInputFiles({
    name: "results.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("task,passed\nrange-01,yes\n"),
  });
  await us.getByRole("button", { name: "Upload" }).click();
  await expect(us.getByText("File uploaded.")).toBeVisible();
  await expectNoAxeViolations(us);
  const href = await us.getByRole("link", { name: /Download version 1/ }).getAttribute("href");
  const download = await uk.request.get(href!);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-disposition"]).toMatch(
    /^attachment; filename="OFFICIAL-SENSITIVE results\.csv"/,
  );

  // The owner registers Findings and Report; the registration shows its hash and is frozen.
  await visit(us, `${base}/registrations`);
  await us.getByLabel("Title", { exact: true }).fill("Interim findings");
  await us.getByLabel(/^Findings \(version 3\)/).check();
  await us.getByLabel(/^Report \(version 1\)/).check();
  await us.getByRole("button", { name: "Register these pages" }).click();
  await settled(us, "Registration: Interim findings");
  await expect(us.getByText("The content below matches this hash.")).toBeVisible();
  const hash = (await us.locator("dd code").textContent())!;
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  const registrationUrl = new URL(us.url()).pathname;

  // Later edits do not touch the registration; the UK editor sees the same hash.
  await visit(uk, `${findings}/edit`);
  await uk.getByLabel("Text", { exact: true }).fill(`${merged}\n## Finding 3\nLater.\n`);
  await uk.getByRole("button", { name: "Save new version" }).click();
  await settled(uk, "Findings");
  await visit(uk, registrationUrl);
  await expect(uk.getByText(hash)).toBeVisible();
  await expect(uk.getByText("Later.")).toHaveCount(0);
  await expect(uk.getByRole("heading", { name: /Findings \(version 3\)/ })).toBeVisible();

  // The activity feed tells the story.
  await visit(us, `${base}/activity`);
  await expect(us.getByText(/registered “Interim findings”/)).toBeVisible();

  // Search inside the workspace finds the page and the comment.
  await visit(uk, `${base}/search?q=jailbreak`);
  await expect(uk.getByRole("heading", { level: 2, name: /result/ })).toBeVisible();
  await expect(uk.getByRole("link", { name: "Findings" }).first()).toBeVisible();

  // A UK colleague outside the workspace gets "not found" everywhere, and no trace in lists.
  const outsider = await openPage({ label: "outsider" });
  await signIn(outsider, users.workspaceOutsider);
  await visit(outsider, "/workspaces");
  await expect(outsider.getByText(name)).toHaveCount(0);
  for (const path of [base, findings, `${base}/files`, registrationUrl, href!]) {
    const response = await outsider.request.get(path);
    expect(response.status(), path).toBe(404);
  }
  const page404 = await visit(outsider, findings);
  expect(page404?.status()).toBe(404);
  await expect(outsider.getByText(/Merged|Finding 1/)).toHaveCount(0);
});
