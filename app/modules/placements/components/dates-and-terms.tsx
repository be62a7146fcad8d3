import { Form } from "~/components/form";
import { Field, SelectField, StatusButton } from "~/components/ui";
import { useIsPending } from "~/components/use-is-pending";
import type { FieldErrors } from "~/lib/forms";
import { ARRANGEMENT_LABELS, ARRANGEMENT_TYPES, COST_ARRANGEMENTS, COST_LABELS } from "../schema";

/** HR's form for the placement's dates and terms (PlacementDetailsSchema, intent "details"). */
export function DatesAndTerms({
  placement: p,
  errors,
}: {
  placement: {
    version: number;
    startDate: Date | null;
    endDate: Date | null;
    arrangementType: (typeof ARRANGEMENT_TYPES)[number];
    costArrangement: (typeof COST_ARRANGEMENTS)[number];
  };
  errors?: FieldErrors;
}) {
  const pending = useIsPending();
  return (
    <section aria-labelledby="details-heading">
      <h2 id="details-heading" className="mb-2 text-lg font-semibold">
        Dates and terms
      </h2>
      <Form method="post" className="grid gap-3 sm:grid-cols-2">
        <input type="hidden" name="intent" value="details" />
        <input type="hidden" name="version" value={p.version} />
        <Field
          label="Start date"
          inputProps={{
            name: "startDate",
            type: "date",
            defaultValue: p.startDate?.toISOString().slice(0, 10) ?? "",
          }}
          errors={errors?.startDate}
        />
        <Field
          label="Planned end date"
          inputProps={{
            name: "endDate",
            type: "date",
            defaultValue: p.endDate?.toISOString().slice(0, 10) ?? "",
          }}
          errors={errors?.endDate}
        />
        <SelectField
          label="Arrangement"
          selectProps={{ name: "arrangementType", defaultValue: p.arrangementType }}
          options={ARRANGEMENT_TYPES.map((a) => ({ value: a, label: ARRANGEMENT_LABELS[a] }))}
        />
        <SelectField
          label="Costs"
          selectProps={{ name: "costArrangement", defaultValue: p.costArrangement }}
          options={COST_ARRANGEMENTS.map((c) => ({ value: c, label: COST_LABELS[c] }))}
        />
        <Field
          label="Reason for a new end date (extensions)"
          inputProps={{ name: "extensionReason" }}
          errors={errors?.extensionReason}
        />
        <div>
          <StatusButton type="submit" pending={pending}>
            Save dates and terms
          </StatusButton>
        </div>
      </Form>
    </section>
  );
}
