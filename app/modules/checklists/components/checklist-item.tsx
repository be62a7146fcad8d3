import { Link } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { Badge, Button, Field, StatusButton } from "~/components/ui";
import { useIsPending } from "~/components/use-is-pending";
import { formatDate, type Locality } from "~/lib/format";
import type { FieldErrors } from "~/lib/forms";
import {
  ITEM_STATUS_LABELS,
  OWNER_SIDE_LABELS,
  type ItemStatus,
  type OwnerSide,
  type StoredItemStatus,
} from "../logic";
import type { EVIDENCE_KINDS } from "../schema";

export type ChecklistItemView = {
  id: string;
  title: string;
  guidance: string;
  ownerSide: OwnerSide;
  required: boolean;
  evidenceKind: (typeof EVIDENCE_KINDS)[number];
  status: StoredItemStatus;
  version: number;
  verifiedBy: string;
  verifiedOn: Date | null;
  reference: string;
  level: string;
  expiresOn: Date | null;
  waivedReason: string;
  evidenceFile: { filename: string } | null;
  shownStatus: ItemStatus;
  due: string | null;
  overdue: boolean;
  waitingFor: string[];
  /** The moves open to the actor. */
  moves: StoredItemStatus[];
  /** Whether the actor, as HR who settle this item, may remove it. */
  mayRemove: boolean;
  /** For HR of the other institute: why this item offers them no action. */
  notYours: string | null;
};

/**
 * One item of a placement's checklist: its state and evidence, and the forms for the moves the
 * actor may make (intents "item", "evidence" and "remove-item").
 */
export function ChecklistItem({
  placementId,
  item,
  opened,
  editable,
  moveErrors,
  evidenceErrors,
  where,
}: {
  placementId: string;
  item: ChecklistItemView;
  /** The person asked for this item's attestation and waiver fields (?item=). */
  opened: boolean;
  editable: boolean;
  moveErrors?: FieldErrors;
  evidenceErrors?: FieldErrors;
  where: Locality;
}) {
  const pending = useIsPending();
  const date = (d: Date | null) => (d ? formatDate(d, where) : "Not set");
  const errs = moveErrors ?? evidenceErrors;
  // Moves that need fields (an attestation's details, a waiver's reason) show them only
  // for the open item, or the one whose submission came back with errors.
  const needsFields = (to: string) =>
    to === "WAIVED" || (to === "DONE" && item.evidenceKind === "ATTESTATION");
  const open = opened || moveErrors !== undefined;
  const shownMoves = open ? item.moves : item.moves.filter((to) => !needsFields(to));
  const closedMoves = open ? [] : item.moves.filter(needsFields);
  return (
    <li id={`item-${item.id}`} className="rounded border border-slate-300 p-4">
      <h3 className="font-semibold">
        {item.title}
        {item.required ? "" : " (optional)"}
      </h3>
      <p className="text-sm text-slate-700">
        {OWNER_SIDE_LABELS[item.ownerSide]} · due {item.due ?? "once the start date is set"}
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
            href={`/placements/${placementId}/items/${item.id}/evidence`}
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
                  <legend className="font-semibold">Attestation for “{item.title}”</legend>
                  <Field
                    label="Verified by"
                    inputProps={{ name: "verifiedBy", autoFocus: opened }}
                  />
                  <Field label="Verified on" inputProps={{ name: "verifiedOn", type: "date" }} />
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
                      opened &&
                      !(item.evidenceKind === "ATTESTATION" && shownMoves.includes("DONE")),
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
      {editable && item.notYours ? (
        <p className="mt-2 text-sm text-slate-700">{item.notYours}</p>
      ) : null}
      {item.mayRemove && editable && item.status !== "DONE" ? (
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
}
