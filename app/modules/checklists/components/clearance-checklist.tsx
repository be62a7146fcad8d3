import type { Locality } from "~/lib/format";
import type { FieldErrors } from "~/lib/forms";
import { ChecklistItem, type ChecklistItemView } from "./checklist-item";

/** The placement's clearance checklist, item by item. */
export function ClearanceChecklist({
  placementId,
  items,
  openItem,
  editable,
  errorsFor,
  where,
}: {
  placementId: string;
  items: ChecklistItemView[];
  /** The item whose attestation and waiver fields the person asked for (?item=). */
  openItem: string | null;
  editable: boolean;
  /** The errors the action returned for this intent and item, if it was that one. */
  errorsFor: (intent: string, itemId: string) => FieldErrors | undefined;
  where: Locality;
}) {
  return (
    <section aria-labelledby="checklist-heading" className="mb-8">
      <h2 id="checklist-heading" className="mb-3 text-lg font-semibold">
        Clearance checklist
      </h2>
      <ol className="space-y-4">
        {items.map((item) => (
          <ChecklistItem
            key={item.id}
            placementId={placementId}
            item={item}
            opened={openItem === item.id}
            editable={editable}
            moveErrors={errorsFor("item", item.id)}
            evidenceErrors={errorsFor("evidence", item.id)}
            where={where}
          />
        ))}
      </ol>
    </section>
  );
}
