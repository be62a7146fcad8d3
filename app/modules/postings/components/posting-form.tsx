import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { CheckboxGroup, Field, SelectField, StatusButton, TextareaField } from "~/components/ui";
import type { FieldErrors } from "~/lib/forms";
import {
  CLEARANCE_LABELS,
  CLEARANCE_LEVELS,
  PostingSchema,
  WORK_MODE_LABELS,
  WORK_MODES,
  type PostingInput,
} from "../schema";

export type PostingFormOptions = {
  institutes: { id: string; code: string; name: string }[];
  areas: { id: string; name: string }[];
  hrs: { id: string; displayName: string }[];
  timeZone: string;
  hostName: string;
};

/** Create and edit share one form; the action parses it with the same PostingSchema. */
export function PostingForm({
  options,
  values,
  serverErrors,
  submitLabel,
}: {
  options: PostingFormOptions;
  values: (Partial<PostingInput> & { version?: number }) | null;
  serverErrors?: FieldErrors | null;
  submitLabel: string;
}) {
  const defaults = {
    title: "",
    team: "",
    description: "",
    requiredExpertise: [],
    desiredExpertise: [],
    minClearance: "NONE",
    workMode: "ON_SITE",
    location: "",
    durationMonths: "6",
    earliestStart: "",
    latestStart: "",
    places: "1",
    deadline: "",
    eligibleInstitutes: options.institutes.map((i) => i.id),
    contactHrId: options.hrs[0]?.id ?? "",
    ...(values
      ? {
          ...values,
          durationMonths: String(values.durationMonths ?? ""),
          places: String(values.places ?? ""),
          version: values.version,
        }
      : {}),
  };
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(PostingSchema, {
    serverErrors,
    defaultValues: defaults as never,
  });
  const pending = useIsPending();
  const areaOptions = options.areas.map((a) => ({ value: a.id, label: a.name }));
  return (
    <Form method="post" noValidate onSubmit={onSubmit} className="space-y-5">
      <FormErrors errors={formErrors} />
      {values?.version !== undefined ? <input type="hidden" {...register("version")} /> : null}
      <Field label="Title" inputProps={register("title")} errors={errorsFor("title")} />
      <Field label="Team" inputProps={register("team")} errors={errorsFor("team")} />
      <TextareaField
        label="Description"
        hint="Markdown: **bold**, lists, links. Shown to every eligible applicant."
        textareaProps={{ ...register("description"), rows: 10 }}
        errors={errorsFor("description")}
      />
      <CheckboxGroup
        legend="Required expertise"
        name="requiredExpertise"
        options={areaOptions}
        defaultValue={defaults.requiredExpertise as string[]}
        inputProps={register("requiredExpertise")}
        errors={errorsFor("requiredExpertise")}
      />
      <CheckboxGroup
        legend="Desired expertise"
        name="desiredExpertise"
        options={areaOptions}
        defaultValue={defaults.desiredExpertise as string[]}
        inputProps={register("desiredExpertise")}
        errors={errorsFor("desiredExpertise")}
      />
      <SelectField
        label="Minimum clearance"
        selectProps={register("minClearance")}
        options={CLEARANCE_LEVELS.map((c) => ({ value: c, label: CLEARANCE_LABELS[c] }))}
        errors={errorsFor("minClearance")}
      />
      <SelectField
        label="Where the work happens"
        selectProps={register("workMode")}
        options={WORK_MODES.map((m) => ({ value: m, label: WORK_MODE_LABELS[m] }))}
        errors={errorsFor("workMode")}
      />
      <Field
        label="Location"
        hint="Required unless the work is remote."
        inputProps={register("location")}
        errors={errorsFor("location")}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Duration (months)"
          inputProps={{ ...register("durationMonths"), inputMode: "numeric" }}
          errors={errorsFor("durationMonths")}
        />
        <Field
          label="Places"
          inputProps={{ ...register("places"), inputMode: "numeric" }}
          errors={errorsFor("places")}
        />
        <Field
          label="Earliest start"
          inputProps={{ ...register("earliestStart"), type: "date" }}
          errors={errorsFor("earliestStart")}
        />
        <Field
          label="Latest start"
          inputProps={{ ...register("latestStart"), type: "date" }}
          errors={errorsFor("latestStart")}
        />
      </div>
      <Field
        label="Application deadline"
        hint={`A date and time in ${options.hostName}'s time zone (${options.timeZone}). Applicants see it in their own zone.`}
        inputProps={{ ...register("deadline"), type: "datetime-local" }}
        errors={errorsFor("deadline")}
      />
      <CheckboxGroup
        legend="Institutes whose staff may apply"
        name="eligibleInstitutes"
        options={options.institutes.map((i) => ({ value: i.id, label: `${i.code} · ${i.name}` }))}
        defaultValue={defaults.eligibleInstitutes as string[]}
        inputProps={register("eligibleInstitutes")}
        errors={errorsFor("eligibleInstitutes")}
      />
      <SelectField
        label="Contact HR coordinator"
        selectProps={register("contactHrId")}
        options={options.hrs.map((h) => ({ value: h.id, label: h.displayName }))}
        errors={errorsFor("contactHrId")}
      />
      <StatusButton type="submit" pending={pending}>
        {submitLabel}
      </StatusButton>
    </Form>
  );
}
