import { Link } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { StatusButton } from "~/components/ui";
import { useIsPending } from "~/components/use-is-pending";
import type { FieldErrors } from "~/lib/forms";
import type { OwnerSide } from "../logic";
import { ChecklistItemFields } from "./item-fields";

/**
 * HR adding an item to one placement's checklist: a link that opens the form (?add=item), or the
 * form itself once asked for or when its submission came back with errors.
 */
export function AddChecklistItem({
  others,
  sides,
  adding,
  errors,
}: {
  /** The placement's items, which the new one may wait for. */
  others: { id: string; title: string }[];
  /** The sides this HR may add items for: their own institute's and the secondee's. */
  sides: readonly OwnerSide[];
  adding: boolean;
  errors?: FieldErrors;
}) {
  const pending = useIsPending();
  return (
    <section aria-labelledby="add-heading" className="mb-8">
      <h2 id="add-heading" className="mb-2 text-lg font-semibold">
        Add an item to this placement
      </h2>
      {adding || errors ? (
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="add-item" />
          <FormErrors errors={errors?.[""]} />
          <ChecklistItemFields others={others} sides={sides} errors={errors} focusFirst={adding} />
          <StatusButton type="submit" pending={pending}>
            Add item
          </StatusButton>
        </Form>
      ) : (
        <p>
          <Link to="?add=item#add-heading" preventScrollReset className="text-brand-700 underline">
            Add an item
          </Link>
        </p>
      )}
    </section>
  );
}
