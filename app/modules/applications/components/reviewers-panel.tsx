import { Form } from "~/components/form";
import { Button, Field, SelectField, StatusButton } from "~/components/ui";
import type { FieldErrors } from "~/lib/forms";
import type { ApplicationView } from "../application-page.server";
import { PageSection } from "./page-section";

/**
 * Host HR's reviewers: how many reviews are in and their mean score, and while reviewers may be
 * assigned, a search for a colleague (a GET form) and the list of matches to assign from.
 */
export function ReviewersPanel({
  aggregate,
  canAssign,
  reviewerQuery,
  reviewers,
  moreReviewers,
  errors,
  pending,
}: Pick<
  ApplicationView,
  "aggregate" | "canAssign" | "reviewerQuery" | "reviewers" | "moreReviewers"
> & {
  errors?: FieldErrors;
  pending: boolean;
}) {
  return (
    <PageSection id="reviewers-heading" title="Reviewers">
      {aggregate ? (
        <p className="mb-3">
          {aggregate.reviews} of {aggregate.assigned} reviews submitted
          {aggregate.mean !== null ? `; mean score ${aggregate.mean.toFixed(2)} of 4` : ""}.
        </p>
      ) : null}
      {canAssign ? (
        <>
          <Form
            method="get"
            role="search"
            aria-label="Find a reviewer"
            className="mb-3 flex flex-wrap items-end gap-3"
          >
            <Field
              label="Find a colleague to review"
              hint="Part of their name; people already assigned are not listed."
              inputProps={{
                name: "reviewer",
                type: "search",
                defaultValue: reviewerQuery,
                maxLength: 100,
              }}
            />
            <Button type="submit" variant="secondary">
              Find
            </Button>
          </Form>
          {reviewerQuery && reviewers.length === 0 ? (
            <p className="mb-3" role="status">
              No colleague of the host institute who is not yet assigned matches &ldquo;
              {reviewerQuery}&rdquo;.
            </p>
          ) : null}
          {reviewers.length || errors ? (
            <Form method="post" className="flex flex-wrap items-end gap-3">
              <input type="hidden" name="intent" value="assign" />
              <SelectField
                label="Assign a reviewer"
                selectProps={{ name: "reviewerId" }}
                placeholder={
                  reviewers.length
                    ? `Choose one of ${reviewers.length} matches`
                    : "Search for a colleague first"
                }
                options={reviewers.map((r) => ({
                  value: r.id,
                  label: r.jobTitle ? `${r.displayName} (${r.jobTitle})` : r.displayName,
                }))}
                errors={errors?.reviewerId ?? errors?.[""]}
              />
              <StatusButton type="submit" pending={pending}>
                Assign
              </StatusButton>
            </Form>
          ) : null}
          {moreReviewers ? (
            <p className="mt-2 text-sm">
              More colleagues match than are listed; type more of the name to narrow the list.
            </p>
          ) : null}
        </>
      ) : null}
    </PageSection>
  );
}
