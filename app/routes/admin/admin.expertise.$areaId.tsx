import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Form } from "~/components/form";
import { useZodForm } from "~/components/forms";
import {
  Alert,
  Badge,
  CheckboxField,
  ErrorList,
  Field,
  PageHeader,
  SelectField,
  StatusButton,
  TextareaField,
} from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formDataToObject, parseForm, type FieldErrors } from "~/lib/forms";
import { idParam, readFormData, requestInfo } from "~/lib/request.server";
import {
  getAreaForAdmin,
  mergeArea,
  renameArea,
  restoreArea,
  retireArea,
} from "~/modules/directory/taxonomy.server";
import { AREA_NAME_MAX, AreaSchema, MergeAreaSchema } from "~/modules/directory/taxonomy-schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.area.name ?? "Expertise area"} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  return getAreaForAdmin(actor, idParam(params, "areaId"));
}

type Intent = "rename" | "retire" | "restore" | "merge";

function failed(intent: Intent, errors: FieldErrors, formData: FormData) {
  // Sent back so that, with JavaScript off, the refused form keeps what was typed.
  return data({ intent, errors, values: formDataToObject(formData) }, { status: 400 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const areaId = idParam(params, "areaId");
  const here = `/admin/expertise/${areaId}`;
  const info = requestInfo(request, context);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "retire" || intent === "restore") {
    await (intent === "retire" ? retireArea : restoreArea)(actor, areaId, info);
    return redirectWithFlash(here, {
      tone: "success",
      message:
        intent === "retire"
          ? "The area is retired: it is no longer offered, and stays on profiles that have it."
          : "The area is offered again.",
    });
  }
  if (intent === "merge") {
    const parsed = parseForm(formData, MergeAreaSchema);
    if (!parsed.success) return failed("merge", parsed.errors, formData);
    const result = await mergeArea(actor, areaId, parsed.data.intoId, info);
    if (!result.ok) return failed("merge", result.errors, formData);
    const n = result.profilesMoved;
    return redirectWithFlash(`/admin/expertise/${parsed.data.intoId}`, {
      tone: "success",
      message: `Merged into this area: ${n} ${n === 1 ? "profile" : "profiles"} moved, and the old area is retired.`,
    });
  }
  const parsed = parseForm(formData, AreaSchema);
  if (!parsed.success) return failed("rename", parsed.errors, formData);
  const result = await renameArea(actor, areaId, parsed.data, info);
  if (!result.ok) return failed("rename", result.errors, formData);
  return redirectWithFlash(here, { tone: "success", message: "Changes saved." });
}

function usePendingIntent(intent: Intent) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
}

export default function ExpertiseArea() {
  const loaderData = useLoaderData<typeof loader>();
  // A merge lands on the target area's page: new area, fresh forms.
  return <AreaPage key={loaderData.area.id} {...loaderData} />;
}

function AreaPage({ area, mergeTargets }: ReturnType<typeof useLoaderData<typeof loader>>) {
  const actionData = useActionData<typeof action>();
  const errorsOf = (intent: Intent) =>
    actionData?.intent === intent ? actionData.errors : undefined;
  const sent = (intent: Intent, name: string, fallback: string) =>
    actionData?.intent === intent ? String(actionData.values[name] ?? "") : fallback;
  const initial = {
    name: sent("rename", "name", area.name),
    description: sent("rename", "description", area.description),
    intoId: sent("merge", "intoId", ""),
  };
  const rename = useZodForm(AreaSchema, {
    serverErrors: errorsOf("rename"),
    defaultValues: { name: initial.name, description: initial.description },
  });
  const merge = useZodForm(MergeAreaSchema, {
    serverErrors: errorsOf("merge"),
    defaultValues: { intoId: initial.intoId },
  });
  const renaming = usePendingIntent("rename");
  const retiring = usePendingIntent(area.retiredAt ? "restore" : "retire");
  const merging = usePendingIntent("merge");
  const profiles = `${area.profileCount} ${area.profileCount === 1 ? "profile" : "profiles"}`;
  return (
    <div className="max-w-2xl">
      <p className="mb-2">
        <Link to="/admin/expertise">All expertise areas</Link>
      </p>
      <PageHeader
        title={area.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {area.retiredAt ? <Badge tone="warning">Retired</Badge> : <Badge>Offered</Badge>}
            <span>On {profiles}.</span>
          </span>
        }
      />

      <section aria-labelledby="rename" className="space-y-4">
        <h2 id="rename" className="text-xl font-semibold">
          Name and description
        </h2>
        <p className="text-slate-700">
          A new name shows at once on every profile that has this area.
        </p>
        <FormErrors errors={rename.formErrors} />
        <Form method="post" noValidate onSubmit={rename.onSubmit} className="space-y-4">
          <Field
            label="Name"
            inputProps={{
              ...rename.register("name"),
              defaultValue: initial.name,
              maxLength: AREA_NAME_MAX,
              autoComplete: "off",
            }}
            errors={rename.errorsFor("name")}
          />
          <TextareaField
            label="Description (optional)"
            textareaProps={{
              ...rename.register("description"),
              defaultValue: initial.description,
              rows: 3,
            }}
            errors={rename.errorsFor("description")}
          />
          <StatusButton type="submit" name="intent" value="rename" pending={renaming}>
            Save changes
          </StatusButton>
        </Form>
      </section>

      <section aria-labelledby="retire" className="mt-10 space-y-3 border-t border-slate-200 pt-6">
        <h2 id="retire" className="text-xl font-semibold">
          {area.retiredAt ? "Offer again" : "Retire"}
        </h2>
        <p className="text-slate-700">
          {area.retiredAt
            ? "People will be able to choose this area on their profiles again."
            : `People can no longer choose a retired area. The ${profiles} that have it keep it as text until their owners change it.`}
        </p>
        <Form method="post">
          <StatusButton
            type="submit"
            name="intent"
            value={area.retiredAt ? "restore" : "retire"}
            variant="secondary"
            pending={retiring}
          >
            {area.retiredAt ? "Offer this area again" : "Retire this area"}
          </StatusButton>
        </Form>
      </section>

      <section aria-labelledby="merge" className="mt-10 space-y-4 border-t border-slate-200 pt-6">
        <h2 id="merge" className="text-xl font-semibold">
          Merge into another area
        </h2>
        <p className="text-slate-700">
          For duplicates: every profile with “{area.name}” gets the area you choose instead (once,
          if it already had both), and “{area.name}” is retired. This cannot be undone.
        </p>
        {mergeTargets.length === 0 ? (
          <p className="text-slate-700">There is no other offered area to merge into.</p>
        ) : (
          <>
            <FormErrors errors={merge.formErrors} />
            <Form method="post" noValidate onSubmit={merge.onSubmit} className="space-y-4">
              <SelectField
                label="Merge into"
                placeholder="Choose an area"
                options={mergeTargets.map((t) => ({ value: t.id, label: t.name }))}
                selectProps={{ ...merge.register("intoId"), defaultValue: initial.intoId }}
                errors={merge.errorsFor("intoId")}
              />
              <CheckboxField
                label={`Move the ${profiles} with “${area.name}” and retire it`}
                inputProps={merge.register("confirm")}
                errors={merge.errorsFor("confirm")}
              />
              <StatusButton
                type="submit"
                name="intent"
                value="merge"
                variant="danger"
                pending={merging}
              >
                Merge areas
              </StatusButton>
            </Form>
          </>
        )}
      </section>
    </div>
  );
}

function FormErrors({ errors }: { errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <Alert tone="error">
      <ErrorList errors={errors} />
    </Alert>
  );
}
