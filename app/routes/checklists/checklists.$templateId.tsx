import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Button, PageHeader, StatusButton } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, type FieldErrors } from "~/lib/forms";
import {
  getTemplate,
  removeTemplateItem,
  saveTemplateItem,
} from "~/modules/checklists/templates.server";
import { ChecklistItemFields } from "~/modules/checklists/components/item-fields";
import { OWNER_SIDE_LABELS } from "~/modules/checklists/logic";
import { ChecklistItemSchema } from "~/modules/checklists/schema";
import { formId, idParam, readFormData } from "~/lib/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.template.name ?? "Template"} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "HR");
  const template = await getTemplate(user, idParam(params, "templateId"));
  const url = new URL(request.url);
  return { template, editing: url.searchParams.get("edit") ?? "" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "HR");
  const id = idParam(params, "templateId");
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  const itemId = formId(formData, "itemId");
  if (intent === "remove") {
    await removeTemplateItem(user, id, itemId);
    return redirectWithFlash(`/checklists/${id}`, { tone: "success", message: "Item removed." });
  }
  const parsed = parseForm(formData, ChecklistItemSchema, { arrays: ["dependsOn"] });
  if (!parsed.success) return data({ itemId, errors: parsed.errors }, { status: 400 });
  const result = await saveTemplateItem(user, id, parsed.data, itemId || undefined);
  if (!result.ok) return data({ itemId, errors: result.errors }, { status: 400 });
  return redirectWithFlash(`/checklists/${id}`, {
    tone: "success",
    message: itemId ? "Item saved." : "Item added.",
  });
}

export default function TemplatePage() {
  const { template, editing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const titles = new Map(template.items.map((i) => [i.id, i.title]));
  const errorsFor = (itemId: string) =>
    actionData && actionData.itemId === itemId ? (actionData.errors as FieldErrors) : undefined;
  const editingId = actionData?.itemId || editing;
  return (
    <div className="max-w-4xl">
      <PageHeader
        title={template.name}
        actions={
          <Link to="/checklists" className="text-brand-700 underline">
            All templates
          </Link>
        }
      />
      <ol className="mb-8 space-y-3">
        {template.items.map((item) => (
          <li key={item.id} className="rounded border border-slate-300 p-3">
            <h2 className="font-semibold">
              {item.title}
              {item.required ? "" : " (optional)"}
            </h2>
            <p className="text-sm">
              {OWNER_SIDE_LABELS[item.ownerSide]} · {item.dueOffsetDays} days from the start ·{" "}
              {item.evidenceKind === "DOCUMENT" ? "document" : "attestation"}
              {item.dependsOnIds.length
                ? ` · waits for ${item.dependsOnIds.map((d) => titles.get(d)).join(", ")}`
                : ""}
            </p>
            {editingId === item.id ? (
              <Form method="post" className="mt-3 space-y-3">
                <input type="hidden" name="itemId" value={item.id} />
                <FormErrors errors={errorsFor(item.id)?.[""]} />
                <ChecklistItemFields
                  values={item}
                  others={template.items.filter((i) => i.id !== item.id)}
                  errors={errorsFor(item.id)}
                />
                <StatusButton type="submit" pending={pending}>
                  Save item
                </StatusButton>
              </Form>
            ) : (
              <div className="mt-2 flex gap-3">
                <Link to={`?edit=${item.id}`} className="text-brand-700 underline">
                  Edit<span className="sr-only"> “{item.title}”</span>
                </Link>
                <Form method="post">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="itemId" value={item.id} />
                  <Button type="submit" size="sm" variant="secondary" disabled={pending}>
                    Remove<span className="sr-only"> “{item.title}”</span>
                  </Button>
                </Form>
              </div>
            )}
          </li>
        ))}
      </ol>
      <section aria-labelledby="add-heading">
        <h2 id="add-heading" className="mb-2 text-lg font-semibold">
          Add an item
        </h2>
        <Form method="post" className="space-y-3">
          <FormErrors errors={errorsFor("")?.[""]} />
          <ChecklistItemFields others={template.items} errors={errorsFor("")} />
          <StatusButton type="submit" pending={pending}>
            Add item
          </StatusButton>
        </Form>
      </section>
    </div>
  );
}
