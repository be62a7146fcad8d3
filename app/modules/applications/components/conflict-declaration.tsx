import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { Button } from "~/components/ui";
import type { FieldErrors } from "~/lib/forms";
import { PageSection } from "./page-section";

/** A newly assigned reviewer declares no conflict of interest or recuses, before seeing anything. */
export function ConflictDeclaration({
  applicantName,
  errors,
  pending,
}: {
  applicantName: string;
  errors?: FieldErrors;
  pending: boolean;
}) {
  return (
    <PageSection id="coi-heading" title="Conflict of interest">
      <p className="mb-3">
        Before you see this application, declare whether you have a conflict of interest with{" "}
        {applicantName} (for example, a close working or personal relationship).
      </p>
      <Form method="post" className="flex flex-wrap gap-3">
        <input type="hidden" name="intent" value="declare" />
        <FormErrors errors={errors?.[""]} />
        <Button type="submit" name="declaration" value="NO_CONFLICT" disabled={pending}>
          I have no conflict of interest
        </Button>
        <Button
          type="submit"
          name="declaration"
          value="RECUSED"
          variant="secondary"
          disabled={pending}
        >
          Recuse myself
        </Button>
      </Form>
    </PageSection>
  );
}
