import { Field, SelectField, TextareaField } from "~/components/ui";
import type { UseFormRegisterReturn } from "react-hook-form";
import { MARKING_LABELS, MARKINGS } from "../rules";

type Registered = {
  register: (name: "name" | "purpose" | "label" | "marking") => UseFormRegisterReturn<string>;
  errorsFor: (name: string) => string[] | undefined;
};

/** Name, purpose, label and marking: shared by the new-workspace form and the settings form. */
export function WorkspaceFields({
  form,
  labels,
}: {
  form: Registered;
  labels: { value: string; label: string }[];
}) {
  const { register, errorsFor } = form;
  return (
    <>
      <Field label="Name" inputProps={register("name")} errors={errorsFor("name")} />
      <TextareaField
        label="Purpose"
        hint="What this workspace is for, in a sentence or two. Members see it on the home page."
        textareaProps={{ ...register("purpose"), rows: 3 }}
        errors={errorsFor("purpose")}
      />
      <SelectField
        label="Handling label"
        hint="Who may ever be in this workspace. JOINT allows staff of any partner institute; a one-institute label keeps everyone else out, including from lists and search."
        selectProps={register("label")}
        options={labels}
        errors={errorsFor("label")}
      />
      <SelectField
        label="Protective marking"
        hint="Shown on every page of the workspace and in the name of every download."
        selectProps={register("marking")}
        options={MARKINGS.map((m) => ({ value: m, label: MARKING_LABELS[m] }))}
        errors={errorsFor("marking")}
      />
    </>
  );
}
