import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { Button, SelectField, StatusButton, TextareaField } from "~/components/ui";
import type { FieldErrors } from "~/lib/forms";
import type { ReviewView } from "../reviews.server";
import { RUBRIC } from "../schema";
import { PageSection } from "./page-section";

/** The reviewer's own rubric: a score and comment per criterion, saved as a draft or submitted. */
export function ReviewForm({
  mine,
  errors,
  pending,
}: {
  /** The reviewer's review so far, if they saved a draft. */
  mine: ReviewView | undefined;
  errors?: FieldErrors;
  pending: boolean;
}) {
  return (
    <PageSection id="review-heading" title="Your review">
      <Form method="post" className="space-y-4">
        <input type="hidden" name="intent" value="review" />
        <FormErrors errors={errors?.[""]} />
        {RUBRIC.map((c) => {
          const saved = mine?.scores.find((s) => s.key === c.key);
          return (
            <fieldset key={c.key} className="rounded border border-slate-300 p-3">
              <legend className="font-semibold">{c.label}</legend>
              <SelectField
                label="Score (1 low, 4 high)"
                selectProps={{
                  name: `score_${c.key}`,
                  defaultValue: saved?.score ? String(saved.score) : "",
                }}
                placeholder="Not scored yet"
                options={["1", "2", "3", "4"].map((v) => ({ value: v, label: v }))}
                errors={errors?.[`score_${c.key}`]}
              />
              <TextareaField
                label="Comment"
                textareaProps={{
                  name: `comment_${c.key}`,
                  rows: 2,
                  defaultValue: saved?.comment ?? "",
                }}
                errors={errors?.[`comment_${c.key}`]}
              />
            </fieldset>
          );
        })}
        <TextareaField
          label="Overall comment"
          textareaProps={{
            name: "comment",
            rows: 3,
            defaultValue: mine?.comment ?? "",
          }}
          errors={errors?.comment}
        />
        <p className="text-sm">You see the other reviewers&rsquo; scores once you submit yours.</p>
        <div className="flex gap-3">
          <Button type="submit" name="stage" value="save" variant="secondary" disabled={pending}>
            Save draft
          </Button>
          <StatusButton type="submit" name="stage" value="submit" pending={pending}>
            Submit review
          </StatusButton>
        </div>
      </Form>
    </PageSection>
  );
}
