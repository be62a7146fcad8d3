import type * as React from "react";
import { renderToStaticMarkup } from "react-dom/server";
import {
  createStaticHandler,
  createStaticRouter,
  StaticRouterProvider,
} from "react-router-dom/server";
import { expect, test } from "vitest";
import { AddChecklistItem } from "~/modules/checklists/components/add-checklist-item";
import {
  ChecklistItem,
  type ChecklistItemView,
} from "~/modules/checklists/components/checklist-item";

// What HR see of a placement's checklist items: the actions on their own side's items, and on
// the other institute's items none, with the reason in their place.

async function render(node: React.ReactNode) {
  const handler = createStaticHandler([{ id: "root", path: "/", element: node }]);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToStaticMarkup(
    <StaticRouterProvider router={router} context={context} hydrate={false} />,
  );
}

const item = (over: Partial<ChecklistItemView>): ChecklistItemView => ({
  id: "item-1",
  title: "Suitability determination",
  guidance: "",
  ownerSide: "HOST",
  required: true,
  evidenceKind: "ATTESTATION",
  status: "TODO",
  version: 0,
  verifiedBy: "",
  verifiedOn: null,
  reference: "",
  level: "",
  expiresOn: null,
  waivedReason: "",
  evidenceFile: null,
  shownStatus: "TODO",
  due: null,
  overdue: false,
  waitingFor: [],
  moves: [],
  mayRemove: false,
  notYours: null,
  ...over,
});

const where = { locale: "en-GB", timeZone: "UTC" };
const buttons = (html: string) =>
  [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ""));

test("HR of the item's side get its actions and may remove it", async () => {
  const html = await render(
    <ol>
      <ChecklistItem
        placementId="p1"
        item={item({ moves: ["IN_PROGRESS"], mayRemove: true })}
        opened={false}
        editable
        where={where}
      />
    </ol>,
  );
  expect(buttons(html)).toEqual(["Start", "Remove “Suitability determination”"]);
  expect(html).not.toContain("to settle");
});

test("HR of the other institute get no action on the item, and are told whose it is", async () => {
  const reason =
    "This item is the host institute's to settle: its HR or the host supervisor can change it.";
  const html = await render(
    <ol>
      <ChecklistItem
        placementId="p1"
        item={item({ notYours: reason })}
        opened={false}
        editable
        where={where}
      />
    </ol>,
  );
  expect(buttons(html)).toEqual([]);
  expect(html).not.toContain("<form");
  expect(html).toContain(reason.replace("'", "&#x27;"));
});

test("the add form offers only the sides HR may add items for", async () => {
  const html = await render(
    <AddChecklistItem others={[]} sides={["HOME", "SECONDEE"]} adding errors={undefined} />,
  );
  const options = [...html.matchAll(/<option value="([A-Z]+)"/g)].map((m) => m[1]);
  expect(options).toEqual(expect.arrayContaining(["HOME", "SECONDEE"]));
  expect(options).not.toContain("HOST");
});
