import { Form } from "~/components/form";
import { StatusButton, TextareaField } from "~/components/ui";
import { formatDateTime, type Locality } from "~/lib/format";
import type { FieldErrors } from "~/lib/forms";
import type { ApplicationView } from "../application-page.server";
import { PageSection } from "./page-section";

/** The internal notes of the actor's side (home or host), and the form to add one. */
export function NotesPanel({
  notes,
  canAddNote,
  hostSide,
  where,
  errors,
  pending,
}: {
  notes: ApplicationView["notes"];
  canAddNote: boolean;
  /** The actor is on the host institute's side (host HR or a reviewer). */
  hostSide: boolean;
  where: Locality;
  errors?: FieldErrors;
  pending: boolean;
}) {
  return (
    <PageSection id="notes-heading" title="Internal notes">
      <p className="mb-3 text-sm">
        Only your side ({hostSide ? "the host institute" : "the home institute"}) sees these notes;
        the applicant never does.
      </p>
      <ul className="mb-4 space-y-2">
        {notes.map((n) => (
          <li key={n.id} className="rounded border border-slate-200 p-3">
            <p className="text-sm text-slate-700">
              {n.author.displayName} · {formatDateTime(n.createdAt, where)}
            </p>
            <p className="whitespace-pre-wrap">{n.body}</p>
          </li>
        ))}
      </ul>
      {canAddNote ? (
        <Form method="post" className="space-y-3">
          <input type="hidden" name="intent" value="note" />
          <TextareaField
            label="Add a note"
            textareaProps={{ name: "body", rows: 3 }}
            errors={errors?.body}
          />
          <StatusButton type="submit" pending={pending}>
            Add note
          </StatusButton>
        </Form>
      ) : null}
    </PageSection>
  );
}
