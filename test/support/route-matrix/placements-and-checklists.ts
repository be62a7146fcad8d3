// The route matrix's declarations: placements and checklist templates.
import {
  type Case,
  checklistItemForm,
  hrOnly,
  only,
  PLACEMENT_PARTIES,
  signedIn,
  unique,
  w,
} from "#test/support/route-matrix/cases";

/** Placements and checklist templates. */
export const placementAndChecklistRoutes = (): Record<string, Case[]> => ({
  "routes/checklists/checklists._index": [
    {
      loader: hrOnly(),
      action: {
        form: (p) => ({
          name: unique("Matrix template"),
          homeInstituteId: p.institute === "US" ? w.ids.UK : w.ids.US,
        }),
        expect: hrOnly("to:/checklists/*"),
      },
    },
  ],
  "routes/checklists/checklists.$templateId": [
    {
      params: () => ({ templateId: w.templateId }),
      loader: only(["usHr"]),
      action: { form: checklistItemForm, expect: only(["usHr"], "to:/checklists/*") },
    },
  ],
  "routes/placements/placements._index": [{ loader: signedIn() }],
  "routes/placements/placements.export": [
    { loader: hrOnly() },
    { name: "checklist status", query: "?what=checklist", loader: hrOnly() },
  ],
  "routes/placements/placements.$placementId": [
    {
      params: () => ({ placementId: w.placementId }),
      loader: only(PLACEMENT_PARTIES),
      // Adding an item is HR's, for their own side: a host item is the host's (US) HR's to add;
      // the home (UK) HR and the other parties may see the placement but not add it.
      action: {
        form: () => ({ intent: "add-item", ...checklistItemForm() }),
        expect: signedIn((p) =>
          p.key === "usHr"
            ? `to:/placements/${w.placementId}`
            : PLACEMENT_PARTIES.includes(p.key)
              ? "403"
              : "404",
        ),
      },
    },
    {
      name: "home item",
      params: () => ({ placementId: w.placementId }),
      // A home item is the home (UK) HR's to add.
      action: {
        form: () => ({ intent: "add-item", ...checklistItemForm(), ownerSide: "HOME" }),
        expect: signedIn((p) =>
          p.key === "ukHr"
            ? `to:/placements/${w.placementId}`
            : PLACEMENT_PARTIES.includes(p.key)
              ? "403"
              : "404",
        ),
      },
    },
  ],
  "routes/placements/placements.$placementId.calendar[.ics]": [
    { params: () => ({ placementId: w.placementId }), loader: only(PLACEMENT_PARTIES) },
  ],
  "routes/placements/placements.$placementId.items.$itemId.evidence": [
    {
      params: () => ({ placementId: w.placementId, itemId: w.evidenceItemId }),
      loader: only(PLACEMENT_PARTIES),
    },
  ],
});
