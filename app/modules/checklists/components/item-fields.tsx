import { CheckboxGroup, Field, SelectField, TextareaField } from "~/components/ui";
import type { FieldErrors } from "~/lib/forms";
import { OWNER_SIDE_LABELS, OWNER_SIDES, type OwnerSide } from "../logic";

type Values = {
  title: string;
  guidance: string;
  ownerSide: string;
  dueOffsetDays: number;
  required: boolean;
  evidenceKind: string;
  dependsOnIds: string[];
};

/** The fields of a checklist item (template or placement); parsed by ChecklistItemSchema. */
export function ChecklistItemFields({
  values,
  others,
  errors,
  focusFirst = false,
  sides = OWNER_SIDES,
}: {
  values?: Values;
  others: { id: string; title: string }[];
  /** The sides the person may give the item to (HR on a placement: their own and the secondee's). */
  sides?: readonly OwnerSide[];
  errors?: FieldErrors;
  /**
   * Focus the first field: for a form the person has just asked for, which replaces the link
   * they followed (so the focus would otherwise be lost), never on arrival at a page.
   */
  focusFirst?: boolean;
}) {
  return (
    <>
      <Field
        label="Title"
        inputProps={{ name: "title", defaultValue: values?.title ?? "", autoFocus: focusFirst }}
        errors={errors?.title}
      />
      <TextareaField
        label="Guidance"
        textareaProps={{ name: "guidance", rows: 2, defaultValue: values?.guidance ?? "" }}
        errors={errors?.guidance}
      />
      <SelectField
        label="Who does it"
        selectProps={{
          name: "ownerSide",
          defaultValue: values?.ownerSide ?? (sides.includes("HOST") ? "HOST" : sides[0]),
        }}
        options={sides.map((s) => ({ value: s, label: OWNER_SIDE_LABELS[s] }))}
        errors={errors?.ownerSide}
      />
      <Field
        label="Due (days from the start; negative for before)"
        inputProps={{
          name: "dueOffsetDays",
          defaultValue: String(values?.dueOffsetDays ?? -14),
          inputMode: "numeric",
        }}
        errors={errors?.dueOffsetDays}
      />
      <SelectField
        label="Evidence"
        selectProps={{ name: "evidenceKind", defaultValue: values?.evidenceKind ?? "ATTESTATION" }}
        options={[
          { value: "ATTESTATION", label: "Attestation (who verified it, when, reference)" },
          { value: "DOCUMENT", label: "Document upload" },
        ]}
        errors={errors?.evidenceKind}
      />
      <SelectField
        label="Required before the start"
        selectProps={{
          name: "required",
          defaultValue: values?.required === false ? "false" : "true",
        }}
        options={[
          { value: "true", label: "Required" },
          { value: "false", label: "Optional" },
        ]}
      />
      {others.length ? (
        <CheckboxGroup
          legend="Waits for"
          name="dependsOn"
          options={others.map((i) => ({ value: i.id, label: i.title }))}
          defaultValue={values?.dependsOnIds ?? []}
          errors={errors?.dependsOn}
        />
      ) : null}
    </>
  );
}
