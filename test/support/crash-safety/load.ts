// The crash-safety test's write load: applicants apply and submit, HR move checklist items round,
// researchers save their workspace page, each loop recording in the ledger what was acknowledged.
import { dayAfter } from "#test/support/clock";
import { HttpClient, type HttpResult } from "#test/system/harness";
import { type ItemStatus, Ledger } from "#test/support/crash-safety/ledger";

const CV = `%PDF-1.4\n% curriculum vitae\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`;

// ---------------------------------------------------------------- the load

let tokenCounter = 0;
const token = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++tokenCounter}`;

export type Control = { stopping: boolean };

function unexpected(ledger: Ledger, what: string, result: HttpResult) {
  ledger.unexpected.push(
    `${what}: ${result.status} ${result.location} ${result.text.slice(0, 200)}`,
  );
}

export async function applicantLoop(
  control: Control,
  ledger: Ledger,
  client: HttpClient,
  applicantId: string,
  postingIds: string[],
) {
  for (const postingId of postingIds) {
    const app = ledger.apps.get(`${applicantId}/${postingId}`)!;
    if (app.status === "SUBMITTED") continue;
    if (control.stopping) return;
    if (!app.id) {
      app.pendingStart = true;
      const sentAt = performance.now();
      const r = await client.post(`/postings/${postingId}/apply`, {});
      app.pendingStart = false;
      const m = /^\/applications\/([^/?]+)\/edit$/.exec(r.location);
      if (r.status !== 302 || !m) return unexpected(ledger, "apply", r);
      app.id = m[1]!;
      app.status = "DRAFT";
      app.startAcked = true;
      ledger.ack("appStart", sentAt);
      if (control.stopping) return;
    }
    const tok = token("statement");
    app.pendingSubmit = tok;
    const sentAt = performance.now();
    const r = await client.post(`/applications/${app.id}/edit`, {
      statement: `I would like to join the team. ${tok}`,
      // Free from six weeks after today (the server runs on the real clock) for five months.
      availableFrom: dayAfter(42),
      availableUntil: dayAfter(207),
      declaredClearance: "BASELINE",
      intent: "submit",
      version: String(app.version),
      cv: new File([CV], "cv.pdf", { type: "application/pdf" }),
    });
    app.pendingSubmit = null;
    if (r.status !== 302 || r.location !== `/applications/${app.id}`)
      return unexpected(ledger, "submit", r);
    app.status = "SUBMITTED";
    app.version += 1;
    app.submitToken = tok;
    app.submitAcked = true;
    ledger.ack("appSubmit", sentAt);
  }
}

const NEXT: Record<ItemStatus, ItemStatus> = {
  TODO: "IN_PROGRESS",
  IN_PROGRESS: "DONE",
  DONE: "TODO",
};

export async function checklistLoop(
  control: Control,
  ledger: Ledger,
  hr: HttpClient,
  placementId: string,
  itemIds: string[],
) {
  for (let i = 0; !control.stopping; i = (i + 1) % itemIds.length) {
    const itemId = itemIds[i]!;
    const item = ledger.items.get(itemId)!;
    const to = NEXT[item.status];
    const tok = to === "DONE" ? token("verifier") : "";
    item.pending = { from: item.version, status: to, token: tok };
    const sentAt = performance.now();
    const r = await hr.post(`/placements/${placementId}`, {
      intent: "item",
      itemId,
      to,
      version: String(item.version),
      ...(to === "DONE" ? { verifiedBy: tok, verifiedOn: dayAfter(-7) } : {}),
    });
    item.pending = null;
    if (r.status !== 302 || r.location !== `/placements/${placementId}`)
      return unexpected(ledger, `checklist ${to}`, r);
    item.version += 1;
    item.status = to;
    if (to === "DONE") item.token = tok;
    item.history.set(item.version, { status: to, token: tok, acked: true });
    ledger.ack("checklist", sentAt);
  }
}

export async function pageLoop(
  control: Control,
  ledger: Ledger,
  client: HttpClient,
  pageId: string,
) {
  const page = ledger.pages.get(pageId)!;
  while (!control.stopping) {
    const tok = token("page");
    page.pending = { from: page.version, token: tok };
    const sentAt = performance.now();
    const r = await client.post(`/workspaces/${page.workspaceId}/pages/${pageId}/edit`, {
      title: page.title,
      body: `Findings so far.\n\nEdit ${tok}\n`,
      baseVersion: String(page.version),
    });
    page.pending = null;
    if (r.status !== 302 || r.location !== `/workspaces/${page.workspaceId}/pages/${pageId}`)
      return unexpected(ledger, "page", r);
    page.version += 1;
    page.token = tok;
    page.history.set(page.version, { token: tok, acked: true });
    ledger.ack("page", sentAt);
  }
}

/** Runs a loop until it stops; a failed request after the kill ends it quietly. */
export async function guarded(
  control: Control,
  ledger: Ledger,
  what: string,
  run: () => Promise<void>,
) {
  try {
    await run();
  } catch (error) {
    if (!control.stopping) ledger.unexpected.push(`${what}: ${(error as Error).message}`);
  }
}
