import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { parseUploadForm } from "~/lib/files.server";
import { formId, idParam } from "~/lib/request.server";
import { redirectWithFlash } from "~/lib/flash.server";
import type { FieldErrors } from "~/lib/forms";
import { runIntent, withParsedForm } from "~/lib/intents.server";
import { refusalInit, refused } from "~/lib/service";
import { AddChecklistItem } from "~/modules/checklists/components/add-checklist-item";
import { ClearanceChecklist } from "~/modules/checklists/components/clearance-checklist";
import { uploadEvidence } from "~/modules/checklists/evidence.server";
import {
  addChecklistItem,
  moveChecklistItem,
  removeChecklistItem,
} from "~/modules/checklists/items.server";
import { ChecklistItemSchema, ItemMoveSchema } from "~/modules/checklists/schema";
import { DatesAndTerms } from "~/modules/placements/components/dates-and-terms";
import { HostWorkspaces } from "~/modules/placements/components/host-workspaces";
import { PlacementStatusLine } from "~/modules/placements/components/placement-status-line";
import { PlacementMoves } from "~/modules/placements/components/placement-moves";
import { PlacementSummary } from "~/modules/placements/components/placement-summary";
import { SupervisorPicker } from "~/modules/placements/components/supervisor-picker";
import { getPlacement } from "~/modules/placements/placement-page.server";
import {
  movePlacement,
  setHostSupervisor,
  updatePlacementDetails,
} from "~/modules/placements/placements.server";
import {
  PlacementDetailsSchema,
  PlacementMoveSchema,
  PlacementSupervisorSchema,
  SUPERVISOR_CHOICES,
  SupervisorSearchSchema,
} from "~/modules/placements/schema";
import { isPlacementEditable } from "~/modules/placements/workflow";
import { PlacementWorkspaceSchema } from "~/modules/workspaces/schema";
import {
  linkPlacementWorkspace,
  placementWorkspaces,
  unlinkPlacementWorkspace,
} from "~/modules/workspaces/placement-access.server";

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
  const fail = (errors: FieldErrors, init: ResponseInit = { status: 400 }) =>
    data({ intent, itemId, errors }, init);
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
  if (!result.ok) return fail(result.errors, refusalInit(result));
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
  return (
    <div className="max-w-5xl">
      <PageHeader
        title={`Placement: ${p.secondee.displayName}`}
        description={`${p.posting.title} · ${p.homeInstituteName} to ${p.posting.hostInstitute.name}`}
      />
      <PlacementStatusLine placement={p} progress={view.progress.overall} />
      {actionData && ["move", "details", "supervisor"].includes(actionData.intent) ? (
        <FormErrors errors={(actionData.errors as FieldErrors)[""]} />
      ) : null}

      <PlacementSummary
        placement={p}
        perSide={view.progress.per}
        extensions={view.extensions}
        canChangeSupervisor={view.isHr && editable && !view.supervisorPicker}
        where={where}
      />

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

      <HostWorkspaces
        workspaces={workspaces}
        errors={
          errorsFor("link-workspace")?.workspaceId ??
          errorsFor("link-workspace")?.[""] ??
          errorsFor("unlink-workspace")?.[""]
        }
      />

      {view.moves.length ? (
        <PlacementMoves
          status={p.status}
          version={p.version}
          moves={view.moves}
          blockers={view.blockers}
        />
      ) : null}

      <ClearanceChecklist
        placementId={p.id}
        items={view.items}
        openItem={openItem}
        editable={editable}
        errorsFor={errorsFor}
        where={where}
      />

      {view.isHr && editable ? (
        <AddChecklistItem
          others={view.items.map((i) => ({ id: i.id, title: i.title }))}
          sides={view.addSides}
          adding={adding}
          errors={errorsFor("add-item")}
        />
      ) : null}

      {view.isHr && editable ? <DatesAndTerms placement={p} errors={errorsFor("details")} /> : null}
    </div>
  );
}
