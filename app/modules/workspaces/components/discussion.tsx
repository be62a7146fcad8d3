import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { Field, StatusButton, TextareaField } from "~/components/ui";
import { useIsPending } from "~/components/use-is-pending";
import { formatDateTime, type Locality } from "~/lib/format";
import type { FieldErrors } from "~/lib/forms";
import { MarkdownView } from "./content-views";

export type ThreadViewData = {
  id: string;
  title: string;
  comments: { id: string; html: string; createdAt: Date | string; authorName: string }[];
};

/** A thread with its comments and a reply form (the action takes intent "comment"). */
export function ThreadView({
  thread,
  where,
  errors,
  headingLevel,
}: {
  thread: ThreadViewData;
  where: Locality;
  errors?: FieldErrors;
  headingLevel: 2 | 3;
}) {
  const pending = useIsPending();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby={`thread-${thread.id}`} className="rounded border border-gray-300 p-4">
      <Heading id={`thread-${thread.id}`} className="mb-3 text-lg font-semibold">
        {thread.title}
      </Heading>
      <ol className="space-y-4">
        {thread.comments.map((c) => (
          <li key={c.id} className="border-l-4 border-gray-300 pl-3">
            <p className="text-sm text-gray-700">
              <span className="font-semibold text-gray-900">{c.authorName}</span>,{" "}
              {formatDateTime(c.createdAt, where)}
            </p>
            <MarkdownView html={c.html} />
          </li>
        ))}
      </ol>
      <Form method="post" className="mt-4 space-y-2">
        <input type="hidden" name="intent" value="comment" />
        <input type="hidden" name="threadId" value={thread.id} />
        <FormErrors errors={errors?.[""]} />
        <TextareaField
          label={
            <>
              Reply<span className="sr-only"> to {thread.title}</span>
            </>
          }
          hint="Markdown. HTML is not allowed; put code in backticks."
          textareaProps={{ name: "body", rows: 3 }}
          errors={errors?.body}
        />
        <StatusButton type="submit" pending={pending} size="sm">
          Add comment<span className="sr-only"> to {thread.title}</span>
        </StatusButton>
      </Form>
    </section>
  );
}

/** A new thread: subject and first comment (the action takes intent "thread"). */
export function NewThreadForm({ errors, heading }: { errors?: FieldErrors; heading: string }) {
  const pending = useIsPending();
  return (
    <section aria-labelledby="new-thread-heading" className="mt-8 max-w-3xl">
      <h2 id="new-thread-heading" className="mb-2 text-xl font-semibold">
        {heading}
      </h2>
      <Form method="post" className="space-y-3">
        <input type="hidden" name="intent" value="thread" />
        <FormErrors errors={errors?.[""] ?? errors?.pageId} />
        <Field label="Subject" inputProps={{ name: "title" }} errors={errors?.title} />
        <TextareaField
          label="Comment"
          hint="Markdown. HTML is not allowed; put code in backticks."
          textareaProps={{ name: "body", rows: 4 }}
          errors={errors?.body}
        />
        <StatusButton type="submit" pending={pending}>
          Start discussion
        </StatusButton>
      </Form>
    </section>
  );
}
