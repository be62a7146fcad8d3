import { Form } from "~/components/form";
import { Alert, Button, TextareaField } from "~/components/ui";
import type { FieldErrors } from "~/lib/forms";
import { MOVE_LABELS, needsReason, type ApplicationStatus } from "../workflow";
import { PageSection } from "./page-section";

/** Moves the actor may make from the current stage, one button each, with a shared comment. */
export function MoveForm({
  version,
  moves,
  errors,
  pending,
}: {
  version: number;
  moves: ApplicationStatus[];
  errors?: FieldErrors;
  pending: boolean;
}) {
  return (
    <PageSection id="actions-heading" title="Decide">
      {errors?.[""] ? (
        <Alert tone="error" className="mb-4">
          {errors[""].join(" ")}
        </Alert>
      ) : null}
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="version" value={version} />
        <TextareaField
          label="Comment"
          hint={
            moves.some(needsReason)
              ? "Required to decline or reject: the applicant sees it. Other comments appear on the shared timeline."
              : "Appears on the shared timeline."
          }
          textareaProps={{ name: "comment", rows: 3 }}
          errors={errors?.comment}
        />
        <div className="flex flex-wrap gap-3">
          {moves.map((to) => (
            <Button
              key={to}
              type="submit"
              name="to"
              value={to}
              disabled={pending}
              variant={
                ["REJECTED", "HOME_DECLINED", "WITHDRAWN", "DECLINED"].includes(to)
                  ? "secondary"
                  : "primary"
              }
            >
              {MOVE_LABELS[to]}
            </Button>
          ))}
        </div>
      </Form>
    </PageSection>
  );
}
