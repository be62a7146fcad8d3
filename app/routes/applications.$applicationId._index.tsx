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
  TextareaField,
} from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDate, formatDateTime } from "~/lib/format";
import type { FieldErrors } from "~/lib/forms";
import { runIntent, withParsedForm } from "~/lib/intents.server";
import { refusalStatus } from "~/lib/service";
import { getApplication } from "~/modules/applications/application-page.server";
import { addNote } from "~/modules/applications/notes.server";
import { transitionApplication } from "~/modules/applications/pipeline.server";
import { assignReviewer, declareConflict, saveReview } from "~/modules/applications/reviews.server";
import {
  AssignReviewerSchema,
  DeclarationSchema,
  NoteSchema,
  ReviewSchema,
  RUBRIC,
  TransitionSchema,
} from "~/modules/applications/schema";
import { MOVE_LABELS, needsReason, STATUS_LABELS } from "~/modules/applications/workflow";
import { CLEARANCE_LABELS } from "~/modules/postings/schema";
import { idParam, readFormData } from "~/lib/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `Application: ${data?.view.application.applicant.displayName ?? ""} | Exchange portal`,
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const reviewerQuery = new URL(request.url).searchParams.get("reviewer") ?? "";
  return {
    view: await getApplication(user, idParam(params, "applicationId"), { reviewerQuery }),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

const MESSAGES: Record<string, string> = {
  move: "Application updated.",
  note: "Note added.",
  assign: "Reviewer assigned and emailed.",
  declare: "Declaration recorded.",
  review: "Review saved.",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "applicationId");
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  const result = await runIntent(intent, {
    move: () =>
      withParsedForm(formData, TransitionSchema, (i) => transitionApplication(user, id, i)),
    note: () => withParsedForm(formData, NoteSchema, (i) => addNote(user, id, i.body)),
    assign: () =>
      withParsedForm(formData, AssignReviewerSchema, (i) => assignReviewer(user, id, i.reviewerId)),
    declare: () =>
      withParsedForm(formData, DeclarationSchema, (i) => declareConflict(user, id, i.declaration)),
    review: () => withParsedForm(formData, ReviewSchema, (i) => saveReview(user, id, i)),
  });
  if (!result.ok) return data({ intent, errors: result.errors }, { status: refusalStatus(result) });
  if (intent === "declare" && formData.get("declaration") === "RECUSED")
    return redirectWithFlash("/applications", {
      tone: "success",
      message: "You have recused yourself from this review.",
    });
  return redirectWithFlash(`/applications/${id}`, { tone: "success", message: MESSAGES[intent]! });
}

function Section({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="mb-8">
      <h2 id={id} className="mb-3 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default function ApplicationPage() {
  const { view, where } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const { application: app } = view;
  const errors = (intent: string) =>
    actionData?.intent === intent ? (actionData.errors as FieldErrors) : undefined;
  const isApplicant = view.parties.includes("APPLICANT");
  return (
    <div className="max-w-4xl">
      <PageHeader
        title={isApplicant ? "Your application" : `Application from ${app.applicant.displayName}`}
        description={`${app.posting.title} · ${app.posting.hostInstitute.name} · from ${app.applicant.institute.name}`}
        actions={
          <Link to={`/postings/${app.posting.id}`} className="text-brand-700 underline">
            The posting
          </Link>
        }
      />
      <p className="mb-6">
        <Badge tone="info">{STATUS_LABELS[app.status]}</Badge>
      </p>

      {view.review?.declaration === "PENDING" ? (
        <Section id="coi-heading" title="Conflict of interest">
          <p className="mb-3">
            Before you see this application, declare whether you have a conflict of interest with{" "}
            {app.applicant.displayName} (for example, a close working or personal relationship).
          </p>
          <Form method="post" className="flex flex-wrap gap-3">
            <input type="hidden" name="intent" value="declare" />
            <FormErrors errors={errors("declare")?.[""]} />
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
        </Section>
      ) : null}

      {app.statement !== null ? (
        <Section id="record-heading" title="Application">
          <dl className="mb-4 grid gap-4 sm:grid-cols-3">
            <div>
              <dt className="font-semibold">Available</dt>
              <dd>
                {app.availableFrom
                  ? formatDate(app.availableFrom, { ...where, timeZone: "UTC" })
                  : "–"}{" "}
                to{" "}
                {app.availableUntil
                  ? formatDate(app.availableUntil, { ...where, timeZone: "UTC" })
                  : "–"}
              </dd>
            </div>
            <div>
              <dt className="font-semibold">Declared clearance</dt>
              <dd>{app.declaredClearance ? CLEARANCE_LABELS[app.declaredClearance] : "–"}</dd>
            </div>
            <div>
              <dt className="font-semibold">Line manager</dt>
              <dd>{app.lineManager?.displayName ?? "–"}</dd>
            </div>
          </dl>
          <h3 className="font-semibold">Statement</h3>
          <p className="mb-4 whitespace-pre-wrap">{app.statement}</p>
          {view.cv ? (
            <p>
              <a href={`/applications/${app.id}/cv`} className="text-brand-700 underline" download>
                Download CV ({view.cv.filename}, {Math.ceil(view.cv.size / 1024)} KB)
              </a>
            </p>
          ) : null}
        </Section>
      ) : null}

      {view.moves.length ? (
        <Section id="actions-heading" title="Decide">
          {actionData?.intent === "move" && actionData.errors?.[""] ? (
            <Alert tone="error" className="mb-4">
              {(actionData.errors as FieldErrors)[""]!.join(" ")}
            </Alert>
          ) : null}
          <Form method="post" className="space-y-3">
            <input type="hidden" name="intent" value="move" />
            <input type="hidden" name="version" value={app.version} />
            <TextareaField
              label="Comment"
              hint={
                view.moves.some(needsReason)
                  ? "Required to decline or reject: the applicant sees it. Other comments appear on the shared timeline."
                  : "Appears on the shared timeline."
              }
              textareaProps={{ name: "comment", rows: 3 }}
              errors={errors("move")?.comment}
            />
            <div className="flex flex-wrap gap-3">
              {view.moves.map((to) => (
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
        </Section>
      ) : null}

      {view.parties.includes("HOST_HR") ? (
        <Section id="reviewers-heading" title="Reviewers">
          {view.aggregate ? (
            <p className="mb-3">
              {view.aggregate.reviews} of {view.aggregate.assigned} reviews submitted
              {view.aggregate.mean !== null
                ? `; mean score ${view.aggregate.mean.toFixed(2)} of 4`
                : ""}
              .
            </p>
          ) : null}
          {view.canAssign ? (
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
                    defaultValue: view.reviewerQuery,
                    maxLength: 100,
                  }}
                />
                <Button type="submit" variant="secondary">
                  Find
                </Button>
              </Form>
              {view.reviewerQuery && view.reviewers.length === 0 ? (
                <p className="mb-3" role="status">
                  No colleague of the host institute who is not yet assigned matches &ldquo;
                  {view.reviewerQuery}&rdquo;.
                </p>
              ) : null}
              {view.reviewers.length || errors("assign") ? (
                <Form method="post" className="flex flex-wrap items-end gap-3">
                  <input type="hidden" name="intent" value="assign" />
                  <SelectField
                    label="Assign a reviewer"
                    selectProps={{ name: "reviewerId" }}
                    placeholder={
                      view.reviewers.length
                        ? `Choose one of ${view.reviewers.length} matches`
                        : "Search for a colleague first"
                    }
                    options={view.reviewers.map((r) => ({
                      value: r.id,
                      label: r.jobTitle ? `${r.displayName} (${r.jobTitle})` : r.displayName,
                    }))}
                    errors={errors("assign")?.reviewerId ?? errors("assign")?.[""]}
                  />
                  <StatusButton type="submit" pending={pending}>
                    Assign
                  </StatusButton>
                </Form>
              ) : null}
              {view.moreReviewers ? (
                <p className="mt-2 text-sm">
                  More colleagues match than are listed; type more of the name to narrow the list.
                </p>
              ) : null}
            </>
          ) : null}
        </Section>
      ) : null}

      {view.review?.declaration === "NO_CONFLICT" && !view.review.submitted ? (
        <Section id="review-heading" title="Your review">
          <Form method="post" className="space-y-4">
            <input type="hidden" name="intent" value="review" />
            <FormErrors errors={errors("review")?.[""]} />
            {RUBRIC.map((c) => {
              const mine = view.reviews.find((r) => r.mine)?.scores.find((s) => s.key === c.key);
              return (
                <fieldset key={c.key} className="rounded border border-slate-300 p-3">
                  <legend className="font-semibold">{c.label}</legend>
                  <SelectField
                    label="Score (1 low, 4 high)"
                    selectProps={{
                      name: `score_${c.key}`,
                      defaultValue: mine?.score ? String(mine.score) : "",
                    }}
                    placeholder="Not scored yet"
                    options={["1", "2", "3", "4"].map((v) => ({ value: v, label: v }))}
                    errors={errors("review")?.[`score_${c.key}`]}
                  />
                  <TextareaField
                    label="Comment"
                    textareaProps={{
                      name: `comment_${c.key}`,
                      rows: 2,
                      defaultValue: mine?.comment ?? "",
                    }}
                    errors={errors("review")?.[`comment_${c.key}`]}
                  />
                </fieldset>
              );
            })}
            <TextareaField
              label="Overall comment"
              textareaProps={{
                name: "comment",
                rows: 3,
                defaultValue: view.reviews.find((r) => r.mine)?.comment ?? "",
              }}
              errors={errors("review")?.comment}
            />
            <p className="text-sm">
              You see the other reviewers&rsquo; scores once you submit yours.
            </p>
            <div className="flex gap-3">
              <Button
                type="submit"
                name="stage"
                value="save"
                variant="secondary"
                disabled={pending}
              >
                Save draft
              </Button>
              <StatusButton type="submit" name="stage" value="submit" pending={pending}>
                Submit review
              </StatusButton>
            </div>
          </Form>
        </Section>
      ) : null}

      {view.reviews.some((r) => r.submitted) ? (
        <Section id="scores-heading" title="Submitted reviews">
          <ul className="space-y-3">
            {view.reviews
              .filter((r) => r.submitted)
              .map((r) => (
                <li key={r.reviewerName} className="rounded border border-slate-200 p-3">
                  <h3 className="font-semibold">{r.reviewerName}</h3>
                  <ul className="text-sm">
                    {r.scores.map((s) => (
                      <li key={s.key}>
                        {s.label}: <strong>{s.score ?? "–"}</strong>
                        {s.comment ? ` · ${s.comment}` : ""}
                      </li>
                    ))}
                  </ul>
                  {r.comment ? <p className="mt-1">{r.comment}</p> : null}
                </li>
              ))}
          </ul>
        </Section>
      ) : null}

      <Section id="timeline-heading" title="Timeline">
        {view.timeline.length === 0 ? (
          <p>Not submitted yet.</p>
        ) : (
          <ol className="space-y-2 border-l-2 border-slate-300 pl-4">
            {view.timeline.map((e) => (
              <li key={e.id}>
                <p>
                  <strong>{STATUS_LABELS[e.toStatus]}</strong> · {e.actor?.displayName ?? "System"}{" "}
                  · {formatDateTime(e.createdAt, where)}
                </p>
                {e.comment ? (
                  <p className="whitespace-pre-wrap text-slate-800">{e.comment}</p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </Section>

      {view.canAddNote || view.notes.length ? (
        <Section id="notes-heading" title="Internal notes">
          <p className="mb-3 text-sm">
            Only your side (
            {view.parties.includes("HOST_HR") || view.parties.includes("REVIEWER")
              ? "the host institute"
              : "the home institute"}
            ) sees these notes; the applicant never does.
          </p>
          <ul className="mb-4 space-y-2">
            {view.notes.map((n) => (
              <li key={n.id} className="rounded border border-slate-200 p-3">
                <p className="text-sm text-slate-700">
                  {n.author.displayName} · {formatDateTime(n.createdAt, where)}
                </p>
                <p className="whitespace-pre-wrap">{n.body}</p>
              </li>
            ))}
          </ul>
          {view.canAddNote ? (
            <Form method="post" className="space-y-3">
              <input type="hidden" name="intent" value="note" />
              <TextareaField
                label="Add a note"
                textareaProps={{ name: "body", rows: 3 }}
                errors={errors("note")?.body}
              />
              <StatusButton type="submit" pending={pending}>
                Add note
              </StatusButton>
            </Form>
          ) : null}
        </Section>
      ) : null}
    </div>
  );
}
