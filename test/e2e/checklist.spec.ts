import type { Page } from "@playwright/test";
import { dayAfter } from "#test/support/clock";
import { e2eState, expect, expectNoAxeViolations, signIn, test, visit } from "./fixtures";

// HR of both institutes and the secondee work through a placement's clearance checklist, each
// doing their own side's items, and host HR activate the placement once nothing required is left.

const PDF = Buffer.from("%PDF-1.4\n% evidence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

const escaped = (title: string) => title.replace(/[()]/g, "\\$&");

function itemCard(page: Page, title: string) {
  return page.getByRole("listitem").filter({
    has: page.getByRole("heading", { level: 3, name: new RegExp(`^${escaped(title)}`) }),
  });
}

async function settled(page: Page) {
  await expect(page.getByRole("status").first()).toBeVisible();
  await expectNoAxeViolations(page);
}

async function attest(page: Page, title: string) {
  const card = itemCard(page, title);
  // The attestation's fields are on the page only for the item opened, by keyboard here; the
  // first field has the focus when they appear.
  await expect(card.getByLabel("Verified by", { exact: true })).toHaveCount(0);
  await card
    .getByRole("link", { name: new RegExp(`^Record the attestation.*: ${escaped(title)}$`) })
    .focus();
  await page.keyboard.press("Enter");
  await expect(card.getByLabel("Verified by", { exact: true })).toBeFocused();
  await expectNoAxeViolations(page);
  await card.getByLabel("Verified by", { exact: true }).fill("Security vetting unit");
  // Verified last week (the server runs on the real clock).
  await card.getByLabel("Verified on", { exact: true }).fill(dayAfter(-7));
  await card.getByLabel("Reference", { exact: true }).fill("VET-2027-001");
  await page.getByRole("button", { name: `Mark done: ${title}` }).click();
  await expect(card.getByText("Done", { exact: true })).toBeVisible();
  await settled(page);
}

async function uploadAndComplete(page: Page, title: string) {
  const card = itemCard(page, title);
  await card.getByLabel(`Document for “${title}” (PDF or DOCX)`).setInputFiles({
    name: "evidence.pdf",
    mimeType: "application/pdf",
    buffer: PDF,
  });
  await card.getByRole("button", { name: "Upload" }).click();
  await expect(
    itemCard(page, title).getByRole("link", { name: /Download evidence\.pdf/ }),
  ).toBeVisible();
  await settled(page);
  await page.getByRole("button", { name: `Mark done: ${title}` }).click();
  await expect(itemCard(page, title).getByText("Done", { exact: true })).toBeVisible();
  await settled(page);
}

test("HR of both sides and the secondee complete the checklist; host HR activate the placement", async ({
  page: secondee,
  openPage,
}) => {
  test.setTimeout(240_000);
  const { users, checklistPlacementId } = e2eState();
  const url = `/placements/${checklistPlacementId}`;

  // The secondee does their own items; the IT accounts wait for the NDA and the suitability check.
  await signIn(secondee, users.checklistSecondee);
  await visit(secondee, url);
  await expect(
    itemCard(secondee, "IT accounts created").getByText("Blocked", { exact: true }),
  ).toBeVisible();
  await expect(secondee.getByRole("button", { name: /Mark done: Suitability/ })).toHaveCount(0);
  await expect(secondee.getByRole("link", { name: /attestation.*: Suitability/ })).toHaveCount(0);
  await attest(secondee, "J-1 visa issued");
  await attest(secondee, "Data-handling training completed");
  await uploadAndComplete(secondee, "Non-disclosure agreement signed");

  // Home HR provide the release letter.
  const homeHr = await openPage({ label: "home HR" });
  await signIn(homeHr, users.checklistHomeHr);
  await visit(homeHr, url);
  // The host's items are the host's to settle: home HR are offered nothing on them, and told why.
  const hostItem = itemCard(homeHr, "Suitability determination (SF-85P)");
  await expect(hostItem.getByRole("button")).toHaveCount(0);
  await expect(hostItem.getByRole("link", { name: /attestation|Waive/ })).toHaveCount(0);
  await expect(hostItem.getByText(/the host institute's to settle/)).toBeVisible();
  await uploadAndComplete(homeHr, "Home release letter");
  await homeHr.getByRole("button", { name: "Start clearance" }).click();
  await expect(homeHr.getByText("Clearing", { exact: true })).toBeVisible();
  await settled(homeHr);

  // Host HR do the host's items, in the order the dependencies allow, then activate.
  const hostHr = await openPage({ label: "host HR" });
  await signIn(hostHr, users.checklistHostHr);
  await hostHr
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Placements" })
    .click();
  await expect(hostHr.getByRole("heading", { level: 1, name: "Placements" })).toBeVisible();
  await expectNoAxeViolations(hostHr);
  await hostHr.getByRole("link", { name: "Cora Secondee" }).click();
  await expect(
    hostHr.getByRole("heading", { level: 1, name: "Placement: Cora Secondee" }),
  ).toBeVisible();
  await expectNoAxeViolations(hostHr);

  // Host HR name the supervisor, by keyboard: the picker (a search over the host's staff) is on
  // the page only when they ask for it.
  await expect(hostHr.getByLabel("Host supervisor", { exact: true })).toHaveCount(0);
  await hostHr.getByRole("link", { name: "Change the host supervisor" }).focus();
  await hostHr.keyboard.press("Enter");
  await expect(
    hostHr.getByRole("heading", { level: 2, name: "Change the host supervisor" }),
  ).toBeVisible();
  await expectNoAxeViolations(hostHr);
  await hostHr.getByLabel(/^Search staff of/).fill("Hosthr");
  await hostHr.keyboard.press("Enter");
  await expect(hostHr.getByText(/1 person matching “Hosthr”/)).toBeVisible();
  await expectNoAxeViolations(hostHr);
  const supervisor = hostHr.getByLabel("Host supervisor", { exact: true });
  await supervisor.focus();
  await supervisor.selectOption({ index: 1 });
  await hostHr.keyboard.press("Tab");
  await hostHr.keyboard.press("Enter");
  await expect(hostHr.getByText("Host supervisor saved.")).toBeVisible();
  await expect(hostHr.getByRole("heading", { name: "Change the host supervisor" })).toHaveCount(0);
  await expect(hostHr.getByRole("definition").filter({ hasText: "Hank Hosthr" })).toBeVisible();
  await settled(hostHr);

  // The form for a new item is on the page only when asked for; opened by keyboard, its first
  // field takes the focus.
  await expect(hostHr.getByLabel("Title", { exact: true })).toHaveCount(0);
  await hostHr.getByRole("link", { name: "Add an item", exact: true }).focus();
  await hostHr.keyboard.press("Enter");
  await expect(hostHr.getByLabel("Title", { exact: true })).toBeFocused();
  await expect(hostHr.getByRole("button", { name: "Add item" })).toBeVisible();
  await expectNoAxeViolations(hostHr);

  await uploadAndComplete(hostHr, "IPA assignment agreement signed");
  await attest(hostHr, "Suitability determination (SF-85P)");
  await attest(hostHr, "IT accounts created");
  await attest(hostHr, "Building access badge issued");
  await expect(hostHr.getByText(/Before it can start/)).toHaveCount(0);
  await hostHr.getByRole("button", { name: "Activate placement" }).click();
  await expect(hostHr.getByText("Active", { exact: true })).toBeVisible();
  await settled(hostHr);
  await expect(hostHr.getByText("Checklist: 8 of 9 done")).toBeVisible(); // the briefing is optional

  // The secondee sees the placement active; the calendar downloads.
  await visit(secondee, url);
  await expect(secondee.getByText("Active", { exact: true })).toBeVisible();
  const calendar = await secondee.request.get(`${url}/calendar.ics`);
  expect(calendar.status()).toBe(200);
  expect(calendar.headers()["content-type"]).toContain("text/calendar");
  expect(await calendar.text()).toContain("SUMMARY:Secondment starts: Cora Secondee");
});
