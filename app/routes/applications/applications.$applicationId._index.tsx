import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useIsPending } from "~/components/use-is-pending";
import { Badge, PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import type { FieldErrors } from "~/lib/forms";
import { runIntent, withParsedForm } from "~/lib/intents.server";
import { refusalStatus } from "~/lib/service";
import { getApplication } from "~/modules/applications/application-page.server";
import { ApplicationRecord } from "~/modules/applications/components/application-record";
import { ConflictDeclaration } from "~/modules/applications/components/conflict-declaration";
import { MoveForm } from "~/modules/applications/components/move-form";
import { NotesPanel } from "~/modules/applications/components/notes-panel";
import { ReviewForm } from "~/modules/applications/components/review-form";
import { ReviewersPanel } from "~/modules/applications/components/reviewers-panel";
import { SubmittedReviews } from "~/modules/applications/components/submitted-reviews";
import { Timeline } from "~/modules/applications/components/timeline";
import { addNote } from "~/modules/applications/notes.server";
import { transitionApplication } from "~/modules/applications/pipeline.server";
import { assignReviewer, declareConflict, saveReview } from "~/modules/applications/reviews.server";
import {
  AssignReviewerSchema,
  DeclarationSchema,
  NoteSchema,
  ReviewSchema,
  TransitionSchema,
} from "~/modules/applications/schema";
import { STATUS_LABELS } from "~/modules/applications/workflow";
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
        <ConflictDeclaration
          applicantName={app.applicant.displayName}
          errors={errors("declare")}
          pending={pending}
        />
      ) : null}

      {app.statement !== null ? (
        <ApplicationRecord application={app} cv={view.cv} where={where} />
      ) : null}

      {view.moves.length ? (
        <MoveForm
          version={app.version}
          moves={view.moves}
          errors={errors("move")}
          pending={pending}
        />
      ) : null}

      {view.parties.includes("HOST_HR") ? (
        <ReviewersPanel
          aggregate={view.aggregate}
          canAssign={view.canAssign}
          reviewerQuery={view.reviewerQuery}
          reviewers={view.reviewers}
          moreReviewers={view.moreReviewers}
          errors={errors("assign")}
          pending={pending}
        />
      ) : null}

      {view.review?.declaration === "NO_CONFLICT" && !view.review.submitted ? (
        <ReviewForm
          mine={view.reviews.find((r) => r.mine)}
          errors={errors("review")}
          pending={pending}
        />
      ) : null}

      {view.reviews.some((r) => r.submitted) ? <SubmittedReviews reviews={view.reviews} /> : null}

      <Timeline events={view.timeline} where={where} />

      {view.canAddNote || view.notes.length ? (
        <NotesPanel
          notes={view.notes}
          canAddNote={view.canAddNote}
          hostSide={view.parties.includes("HOST_HR") || view.parties.includes("REVIEWER")}
          where={where}
          errors={errors("note")}
          pending={pending}
        />
      ) : null}
    </div>
  );
}
