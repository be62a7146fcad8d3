import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import {
  Alert,
  Badge,
  Button,
  Field,
  PageHeader,
  SelectField,
  StatusButton,
} from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { parseUploadForm } from "~/lib/files.server";
import { formId, idParam } from "~/lib/request.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDate } from "~/lib/format";
import type { FieldErrors } from "~/lib/forms";
import { runIntent, withParsedForm } from "~/lib/intents.server";
import { refusalStatus, refused } from "~/lib/service";
import { ChecklistItemFields } from "~/modules/checklists/components/item-fields";
import { ITEM_STATUS_LABELS, OWNER_SIDE_LABELS, OWNER_SIDES } from "~/modules/checklists/logic";
import { uploadEvidence } from "~/modules/checklists/evidence.server";
import {
  addChecklistItem,
  moveChecklistItem,
  removeChecklistItem,
} from "~/modules/checklists/items.server";
import { ChecklistItemSchema, ItemMoveSchema } from "~/modules/checklists/schema";
import { getPlacement } from "~/modules/placements/placement-page.server";
import {
  movePlacement,
  setHostSupervisor,
  updatePlacementDetails,
} from "~/modules/placements/placements.server";
import { SupervisorPicker } from "~/modules/placements/components/supervisor-picker";
import {
  ARRANGEMENT_LABELS,
  ARRANGEMENT_TYPES,
  COST_ARRANGEMENTS,
  COST_LABELS,
  PlacementDetailsSchema,
  PlacementMoveSchema,
  PlacementSupervisorSchema,
  SUPERVISOR_CHOICES,
  SupervisorSearchSchema,
} from "~/modules/placements/schema";
import { PLACEMENT_STATUS_LABELS, isPlacementEditable } from "~/modules/placements/workflow";
import { PlacementWorkspaceSchema } from "~/modules/workspaces/schema";
import {
  linkPlacementWorkspace,
  placementWorkspaces,
  unlinkPlacementWorkspace,
} from "~/modules/workspaces/workspaces.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Placement: ${data?.view.placement.secondee.displayName ?? ""} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  // The supervisor picker only when asked for: host staff are many, and most views never use it.
  const supervisorSearch =
    url.searchParams.get("supervisor") === "change"
      ? SupervisorSearchSchema.parse(url.searchParams.get("q") ?? "")
      : null;
  return {
    view: await getPlacement(user, idParam(params, "placementId"), { supervisorSearch }),
    workspaces: await placementWorkspaces(user, idParam(params, "placementId")),
    where: { locale: user.institute.locale, timeZone: "UTC" },
    // The item whose attestation and waiver fields are open (?item=), and whether HR opened the
    // form for a new item (?add=item): forms on request, rather than all of them on every view.
    openItem: url.searchParams.get("item"),
    adding: url.searchParams.get("add") === "item",
  };
}

const MESSAGES: Record<string, string> = {
  details: "Placement details saved.",
  supervisor: "Host supervisor saved.",
  move: "Placement updated.",
  item: "Checklist item updated.",
  evidence: "Document uploaded.",
  "add-item": "Item added to this placement's checklist.",
  "remove-item": "Item removed.",
  "link-workspace": "Workspace named. Its access follows the placement's status.",
  "unlink-workspace": "Workspace no longer named.",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "placementId");
  const { formData, tooLarge } = await parseUploadForm(request);
  const intent = String(formData.get("intent") ?? (tooLarge ? "evidence" : ""));
  const itemId = formId(formData, "itemId");
  const fail = (errors: FieldErrors, status = 400) => data({ intent, itemId, errors }, { status });
  if (tooLarge) return fail({ evidence: ["The file is too large"] });
  const result = await runIntent(intent, {
    details: () =>
      withParsedForm(formData, PlacementDetailsSchema, (i) => updatePlacementDetails(user, id, i)),
    supervisor: () =>
      withParsedForm(formData, PlacementSupervisorSchema, (i) => setHostSupervisor(user, id, i)),
    move: () =>
      withParsedForm(formData, PlacementMoveSchema, (i) =>
        movePlacement(user, id, i.to, i.version),
      ),
    item: () => withParsedForm(formData, ItemMoveSchema, (i) => moveChecklistItem(user, itemId, i)),
    evidence: async () => {
      const file = formData.get("evidence");
      if (!(file instanceof File) || (!file.name && file.size === 0))
        return refused("Choose a file to upload", "evidence");
      return uploadEvidence(user, itemId, {
        name: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
      });
    },
    "add-item": () =>
      withParsedForm(formData, ChecklistItemSchema, (i) => addChecklistItem(user, id, i), {
        arrays: ["dependsOn"],
      }),
    "remove-item": () => removeChecklistItem(user, itemId),
    "link-workspace": () =>
      withParsedForm(formData, PlacementWorkspaceSchema, (i) =>
        linkPlacementWorkspace(user, id, i.workspaceId),
      ),
    "unlink-workspace": () =>
      withParsedForm(formData, PlacementWorkspaceSchema, (i) =>
        unlinkPlacementWorkspace(user, id, i.workspaceId),
      ),
  });
  if (!result.ok) return fail(result.errors, refusalStatus(result));
  return redirectWithFlash(`/placements/${id}`, { tone: "success", message: MESSAGES[intent]! });
}

export default function PlacementPage() {
  const { view, where, workspaces, openItem, adding } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const { placement: p } = view;
  const errorsFor = (intent: string, item?: string) =>
    actionData?.intent === intent && (!item || actionData.itemId === item)
      ? (actionData.errors as FieldErrors)
      : undefined;
  const editable = isPlacementEditable(p.status);
  const date = (d: Date | null) => (d ? formatDate(d, where) : "Not set");
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={`Placement: ${p.secondee.displayName}`}
        description={`${p.posting.title} · ${p.homeInstituteName} to ${p.posting.hostInstitute.name}`}
      />
      <p className="mb-4 flex flex-wrap gap-2">
        <Badge tone={p.status === "ACTIVE" ? "success" : "info"}>
          {PLACEMENT_STATUS_LABELS[p.status]}
        </Badge>
        <span>
          Checklist: {view.progress.overall.done} of {view.progress.overall.total} done
        </span>
        <a href={`/placements/${p.id}/calendar.ics`} className="text-brand-700 underline" download>
          Dates and due dates as a calendar (.ics)
        </a>
      </p>
      {actionData && ["move", "details", "supervisor"].includes(actionData.intent) ? (
        <FormErrors errors={(actionData.errors as FieldErrors)[""]} />
      ) : null}

      <section aria-labelledby="summary-heading" className="mb-8">
        <h2 id="summary-heading" className="mb-2 text-lg font-semibold">
          Summary
        </h2>
        <dl className="grid gap-4 sm:grid-cols-3">
          <div>
            <dt className="font-semibold">Start</dt>
            <dd>{date(p.startDate)}</dd>
          </div>
          <div>
            <dt className="font-semibold">Planned end</dt>
            <dd>{date(p.endDate)}</dd>
          </div>
          <div>
            <dt className="font-semibold">Host supervisor</dt>
            <dd>
              {p.hostSupervisor?.displayName ?? "Not named"}
              {view.isHr && editable && !view.supervisorPicker ? (
                <>
                  {" "}
                  <a
                    href={`/placements/${p.id}?supervisor=change#supervisor-heading`}
                    className="text-brand-700 underline"
                  >
                    Change<span className="sr-only"> the host supervisor</span>
                  </a>
                </>
              ) : null}
            </dd>
          </div>
          <div>
            <dt className="font-semibold">Arrangement</dt>
            <dd>{ARRANGEMENT_LABELS[p.arrangementType]}</dd>
          </div>
          <div>
            <dt className="font-semibold">Costs</dt>
            <dd>{COST_LABELS[p.costArrangement]}</dd>
          </div>
          <div>
            <dt className="font-semibold">Progress by side</dt>
            <dd>
              {OWNER_SIDES.map((s) => (
                <span key={s} className="block">
                  {OWNER_SIDE_LABELS[s]}: {view.progress.per[s].done} of{" "}
                  {view.progress.per[s].total}
                </span>
              ))}
            </dd>
          </div>
        </dl>
        {view.extensions.length ? (
          <>
            <h3 className="mt-4 font-semibold">Extensions</h3>
            <ul className="list-disc pl-6">
              {view.extensions.map((e) => (
                <li key={e.id}>
                  {date(e.previousEnd)} to {date(e.newEnd)}: {e.reason}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      {view.supervisorPicker ? (
        <SupervisorPicker
          placementId={p.id}
          version={p.version}
          hostName={p.posting.hostInstitute.name}
          current={p.hostSupervisor}
          picker={view.supervisorPicker}
          limit={SUPERVISOR_CHOICES}
          errors={errorsFor("supervisor")?.hostSupervisorId}
          pending={pending}
        />
      ) : null}

      <section aria-labelledby="workspaces-heading" className="mb-8">
        <h2 id="workspaces-heading" className="mb-2 text-lg font-semibold">
          Host workspaces
        </h2>
        <p className="mb-2 text-gray-700">
          While the placement is active, the secondee is an editor of each workspace named here; the
          access ends when the placement completes or is cancelled.
        </p>
        <FormErrors
          errors={
            errorsFor("link-workspace")?.workspaceId ??
            errorsFor("link-workspace")?.[""] ??
            errorsFor("unlink-workspace")?.[""]
          }
        />
        {workspaces.linked.length ? (
          <ul className="mb-3 space-y-2">
            {workspaces.linked.map((w) => (
              <li key={w.id} className="flex flex-wrap items-center gap-2">
                <a href={`/workspaces/${w.id}`} className="text-brand-700 underline">
                  {w.name}
                </a>
                <Badge>{w.label}</Badge>
                {w.canUnlink ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="unlink-workspace" />
                    <input type="hidden" name="workspaceId" value={w.id} />
                    <Button type="submit" variant="secondary" size="sm">
                      Stop naming<span className="sr-only"> {w.name}</span>
                    </Button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        {workspaces.hiddenCount ? (
          <p className="mb-3">
            {workspaces.hiddenCount} other workspace{workspaces.hiddenCount === 1 ? " is" : "s are"}{" "}
            named that you are not a member of.
          </p>
        ) : null}
        {!workspaces.linked.length && !workspaces.hiddenCount ? (
          <p className="mb-3">No workspace is named.</p>
        ) : null}
        {workspaces.canLink && workspaces.linkable.length ? (
          <Form method="post" className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="link-workspace" />
            <SelectField
              label="Name a workspace you own"
              selectProps={{ name: "workspaceId" }}
              options={workspaces.linkable.map((w) => ({
                value: w.id,
                label: `${w.name} (${w.label})`,
              }))}
            />
            <Button type="submit" variant="secondary">
              Name workspace
            </Button>
          </Form>
        ) : null}
      </section>

      {view.moves.length ? (
        <section aria-labelledby="status-heading" className="mb-8">
          <h2 id="status-heading" className="mb-2 text-lg font-semibold">
            Status
          </h2>
          {view.blockers.length && p.status === "CLEARING" ? (
            <Alert tone="info" className="mb-3">
              Before it can start, these required items must be done or waived:{" "}
              {view.blockers.join("; ")}.
            </Alert>
          ) : null}
          <Form method="post" className="flex flex-wrap gap-3">
            <input type="hidden" name="intent" value="move" />
            <input type="hidden" name="version" value={p.version} />
            {view.moves.map((to) => (
              <Button
                key={to}
                type="submit"
                name="to"
                value={to}
                variant={to === "CANCELLED" ? "secondary" : "primary"}
                disabled={pending}
              >
                {to === "CLEARING"
                  ? "Start clearance"
                  : to === "ACTIVE"
                    ? "Activate placement"
                    : to === "COMPLETED"
                      ? "Mark completed"
                      : "Cancel placement"}
              </Button>
            ))}
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="checklist-heading" className="mb-8">
        <h2 id="checklist-heading" className="mb-3 text-lg font-semibold">
          Clearance checklist
        </h2>
        <ol className="space-y-4">
          {view.items.map((item) => {
            const errs = errorsFor("item", item.id) ?? errorsFor("evidence", item.id);
            // Moves that need fields (an attestation's details, a waiver's reason) show them only
            // for the open item, or the one whose submission came back with errors.
            const needsFields = (to: string) =>
              to === "WAIVED" || (to === "DONE" && item.evidenceKind === "ATTESTATION");
            const open = openItem === item.id || errorsFor("item", item.id) !== undefined;
            const shownMoves = open ? item.moves : item.moves.filter((to) => !needsFields(to));
            const closedMoves = open ? [] : item.moves.filter(needsFields);
            return (
              <li
                key={item.id}
                id={`item-${item.id}`}
                className="rounded border border-slate-300 p-4"
              >
                <h3 className="font-semibold">
                  {item.title}
                  {item.required ? "" : " (optional)"}
                </h3>
                <p className="text-sm text-slate-700">
                  {OWNER_SIDE_LABELS[item.ownerSide]} · due{" "}
                  {item.due ?? "once the start date is set"}
                  {item.overdue ? " · overdue" : ""}
                </p>
                <p className="mt-1">
                  <Badge
                    tone={
                      item.shownStatus === "DONE" || item.shownStatus === "WAIVED"
                        ? "success"
                        : item.shownStatus === "BLOCKED" || item.overdue
                          ? "warning"
                          : "neutral"
                    }
                  >
                    {ITEM_STATUS_LABELS[item.shownStatus]}
                  </Badge>
                </p>
                {item.guidance ? <p className="mt-1 text-sm">{item.guidance}</p> : null}
                {item.waitingFor.length ? (
                  <p className="mt-1 text-sm">Waiting for: {item.waitingFor.join(", ")}</p>
                ) : null}
                {item.status === "DONE" && item.evidenceKind === "ATTESTATION" ? (
                  <p className="mt-1 text-sm">
                    Verified by {item.verifiedBy} on {date(item.verifiedOn)}
                    {item.reference ? ` (ref. ${item.reference})` : ""}
                    {item.level ? ` · level ${item.level}` : ""}
                    {item.expiresOn ? ` · expires ${date(item.expiresOn)}` : ""}
                  </p>
                ) : null}
                {item.status === "WAIVED" ? (
                  <p className="mt-1 text-sm">Waived: {item.waivedReason}</p>
                ) : null}
                {item.evidenceFile ? (
                  <p className="mt-1 text-sm">
                    <a
                      href={`/placements/${p.id}/items/${item.id}/evidence`}
                      className="text-brand-700 underline"
                      download
                    >
                      Download {item.evidenceFile.filename}
                      <span className="sr-only"> for {item.title}</span>
                    </a>
                  </p>
                ) : null}
                {errs ? <FormErrors errors={Object.values(errs).flat()} /> : null}
                {editable && item.moves.length ? (
                  <div className="mt-3 space-y-3">
                    {item.evidenceKind === "DOCUMENT" && item.moves.includes("DONE") ? (
                      <Form
                        method="post"
                        encType="multipart/form-data"
                        className="flex flex-wrap items-end gap-3"
                      >
                        <input type="hidden" name="intent" value="evidence" />
                        <input type="hidden" name="itemId" value={item.id} />
                        <Field
                          label={`Document for “${item.title}” (PDF or DOCX)`}
                          inputProps={{ type: "file", name: "evidence", accept: ".pdf,.docx" }}
                        />
                        <StatusButton type="submit" pending={pending} variant="secondary">
                          Upload
                        </StatusButton>
                      </Form>
                    ) : null}
                    {closedMoves.length ? (
                      <p>
                        <Link
                          to={`?item=${item.id}#item-${item.id}`}
                          preventScrollReset
                          className="text-brand-700 underline"
                        >
                          {closedMoves.includes("DONE")
                            ? closedMoves.includes("WAIVED")
                              ? "Record the attestation or waive"
                              : "Record the attestation"
                            : "Waive"}
                          <span className="sr-only">: {item.title}</span>
                        </Link>
                      </p>
                    ) : null}
                    {shownMoves.length ? (
                      <Form method="post" className="space-y-3">
                        <input type="hidden" name="intent" value="item" />
                        <input type="hidden" name="itemId" value={item.id} />
                        <input type="hidden" name="version" value={item.version} />
                        {item.evidenceKind === "ATTESTATION" && shownMoves.includes("DONE") ? (
                          <fieldset className="grid gap-3 sm:grid-cols-3">
                            <legend className="font-semibold">
                              Attestation for “{item.title}”
                            </legend>
                            <Field
                              label="Verified by"
                              inputProps={{ name: "verifiedBy", autoFocus: openItem === item.id }}
                            />
                            <Field
                              label="Verified on"
                              inputProps={{ name: "verifiedOn", type: "date" }}
                            />
                            <Field label="Reference" inputProps={{ name: "reference" }} />
                            <Field label="Level (if any)" inputProps={{ name: "level" }} />
                            <Field
                              label="Expires on (if any)"
                              inputProps={{ name: "expiresOn", type: "date" }}
                            />
                          </fieldset>
                        ) : null}
                        {shownMoves.includes("WAIVED") ? (
                          <Field
                            label={`Reason, if waiving “${item.title}”`}
                            inputProps={{
                              name: "reason",
                              autoFocus:
                                openItem === item.id &&
                                !(
                                  item.evidenceKind === "ATTESTATION" && shownMoves.includes("DONE")
                                ),
                            }}
                          />
                        ) : null}
                        <div className="flex flex-wrap gap-2">
                          {shownMoves.map((to) => (
                            <Button
                              key={to}
                              type="submit"
                              name="to"
                              value={to}
                              size="sm"
                              variant={to === "DONE" ? "primary" : "secondary"}
                              disabled={pending}
                              aria-label={`${to === "IN_PROGRESS" ? "Start" : to === "DONE" ? "Mark done" : to === "WAIVED" ? "Waive" : "Reopen"}: ${item.title}`}
                            >
                              {to === "IN_PROGRESS"
                                ? "Start"
                                : to === "DONE"
                                  ? "Mark done"
                                  : to === "WAIVED"
                                    ? "Waive"
                                    : "Reopen"}
                            </Button>
                          ))}
                        </div>
                      </Form>
                    ) : null}
                  </div>
                ) : null}
                {view.isHr && editable && item.status !== "DONE" ? (
                  <Form method="post" className="mt-2">
                    <input type="hidden" name="intent" value="remove-item" />
                    <input type="hidden" name="itemId" value={item.id} />
                    <Button type="submit" variant="secondary" size="sm" disabled={pending}>
                      Remove<span className="sr-only"> “{item.title}”</span>
                    </Button>
                  </Form>
                ) : null}
              </li>
            );
          })}
        </ol>
      </section>

      {view.isHr && editable ? (
        <section aria-labelledby="add-heading" className="mb-8">
          <h2 id="add-heading" className="mb-2 text-lg font-semibold">
            Add an item to this placement
          </h2>
          {adding || errorsFor("add-item") ? (
            <Form method="post" className="space-y-3">
              <input type="hidden" name="intent" value="add-item" />
              <FormErrors errors={errorsFor("add-item")?.[""]} />
              <ChecklistItemFields
                others={view.items.map((i) => ({ id: i.id, title: i.title }))}
                errors={errorsFor("add-item")}
                focusFirst={adding}
              />
              <StatusButton type="submit" pending={pending}>
                Add item
              </StatusButton>
            </Form>
          ) : (
            <p>
              <Link
                to="?add=item#add-heading"
                preventScrollReset
                className="text-brand-700 underline"
              >
                Add an item
              </Link>
            </p>
          )}
        </section>
      ) : null}

      {view.isHr && editable ? (
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
              errors={errorsFor("details")?.startDate}
            />
            <Field
              label="Planned end date"
              inputProps={{
                name: "endDate",
                type: "date",
                defaultValue: p.endDate?.toISOString().slice(0, 10) ?? "",
              }}
              errors={errorsFor("details")?.endDate}
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
              errors={errorsFor("details")?.extensionReason}
            />
            <div>
              <StatusButton type="submit" pending={pending}>
                Save dates and terms
              </StatusButton>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
