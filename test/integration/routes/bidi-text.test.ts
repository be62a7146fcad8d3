import { beforeAll, expect, test } from "vitest";
import { createPipelineWorld, type World } from "#test/support/pipeline-world";
import { call, get, post, sessionCookieFor, statusOf } from "#test/support/route-harness";
import { db } from "~/lib/db.server";
import * as workspaceFrame from "~/routes/workspaces/workspaces.$workspaceId";
import * as newWorkspace from "~/routes/workspaces/workspaces.new";

// Bidirectional overrides and isolates are invisible and reorder what follows them: a workspace
// named "invoice\u202Egpj.exe" would show as "invoiceexe.jpg". They are dropped from what people
// type, so no page shows them.

const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

let w: World;
let cookie: string;

beforeAll(async () => {
  w = await createPipelineWorld();
  cookie = await sessionCookieFor(w.usStaff.id);
});

test("a name with a right-to-left override is shown without it, in typed order", async () => {
  let workspaceId = "";
  const sent = await statusOf(async () => {
    const result = await call(
      newWorkspace.action,
      post("/workspaces/new", cookie, {
        name: "invoice\u202Egpj.exe",
        purpose: "Scores \u2067\u202Bfor\u202C\u2069 review\u202D.",
        label: w.us.id,
        marking: "OFFICIAL",
        template: "GENERAL",
      }),
    );
    return result;
  });
  expect(sent.status).toBe(302);
  workspaceId = /^\/workspaces\/([^/?]+)/.exec(sent.location!)![1]!;

  const data = (await call(workspaceFrame.loader, get(`/workspaces/${workspaceId}`, cookie), {
    workspaceId,
  })) as { frame: { name: string } };
  expect(data.frame.name).toBe("invoicegpj.exe");
  expect(JSON.stringify(data)).not.toMatch(BIDI);
  const stored = await db.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  expect(stored.purpose).toBe("Scores for review.");
});
