import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Alert, Badge, Button, PageHeader, StatusButton } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { refusalStatus } from "~/lib/service";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDate, formatDateTime } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { STATUS_LABELS } from "~/modules/applications/workflow";
import { suggestedPeopleForPosting } from "~/modules/postings/matching.server";
import { getPosting } from "~/modules/postings/posting-page.server";
import { movePosting } from "~/modules/postings/postings.server";
import { CLEARANCE_LABELS, PostingMoveSchema, WORK_MODE_LABELS } from "~/modules/postings/schema";
import {
  POSTING_MOVE_LABELS,
  POSTING_STATUS_LABELS,
  isEditable,
  postingMovesFor,
} from "~/modules/postings/workflow";
import { idParam, readFormData } from "~/lib/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.posting.title ?? "Posting"} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const view = await getPosting(user, idParam(params, "postingId"));
  return {
    ...view,
    suggestions: view.isHost ? await suggestedPeopleForPosting(user, view.posting.id) : [],
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "postingId");
  const parsed = parseForm(await readFormData(request), PostingMoveSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const result = await movePosting(user, id, parsed.data.to, parsed.data.version);
  if (!result.ok) return data({ errors: result.errors }, { status: refusalStatus(result) });
  return redirectWithFlash(`/postings/${id}`, {
    tone: "success",
    message: `Posting ${POSTING_STATUS_LABELS[parsed.data.to].toLowerCase()}.`,
  });
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="font-semibold">{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export default function PostingPage() {
  const { posting, isHost, myApplication, applyRefusal, suggestions, where } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  const hostWhere = { ...where, timeZone: posting.hostInstitute.timeZone };
  const utcDate = { ...where, timeZone: "UTC" };
  return (
    <div className="max-w-4xl">
      <PageHeader
        title={posting.title}
        description={[posting.hostInstitute.name, posting.team].filter(Boolean).join(" · ")}
      />
      <p className="mb-4 flex flex-wrap gap-2">
        <Badge tone={posting.status === "OPEN" ? "success" : "neutral"}>
          {POSTING_STATUS_LABELS[posting.status]}
        </Badge>
      </p>
      <FormErrors errors={actionData?.errors?.[""]} />

      {isHost ? (
        <section
          aria-labelledby="manage-heading"
          className="mb-6 rounded border border-slate-300 bg-slate-50 p-4"
        >
          <h2 id="manage-heading" className="mb-2 text-lg font-semibold">
            Manage this posting
          </h2>
          <div className="flex flex-wrap items-center gap-3">
            {isEditable(posting.status) ? (
              <Link to={`/postings/${posting.id}/edit`} className="text-brand-700 underline">
                Edit details
              </Link>
            ) : null}
            <Link to={`/postings/${posting.id}/pipeline`} className="text-brand-700 underline">
              Applications pipeline
            </Link>
            <a
              href={`/postings/${posting.id}/export`}
              className="text-brand-700 underline"
              download
            >
              Export applications (CSV)
            </a>
            {postingMovesFor(posting.status, "HOST_HR").map((to) => (
              <Form method="post" key={to}>
                <input type="hidden" name="version" value={posting.version} />
                <Button
                  type="submit"
                  name="to"
                  value={to}
                  variant={to === "CANCELLED" ? "danger" : "secondary"}
                  size="sm"
                  disabled={pending}
                >
                  {POSTING_MOVE_LABELS[to]}
                </Button>
              </Form>
            ))}
          </div>
        </section>
      ) : null}

      {isHost ? (
        <section aria-labelledby="suggested-heading" className="mb-6">
          <h2 id="suggested-heading" className="mb-2 text-lg font-semibold">
            Suggested people
          </h2>
          {suggestions.length === 0 ? (
            <p>
              No one at an eligible institute who is open to secondment shares this posting&rsquo;s
              expertise (as far as their profiles show you).
            </p>
          ) : (
            <ul className="space-y-2">
              {suggestions.map((s) => (
                <li key={s.userId}>
                  <Link to={`/directory/${s.userId}`} className="text-brand-700 underline">
                    {s.displayName}
                  </Link>{" "}
                  ({[s.jobTitle, s.instituteCode].filter(Boolean).join(", ")}) · shares:{" "}
                  {s.shared.join(", ")}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      <dl className="mb-6 grid gap-4 sm:grid-cols-2">
        <Fact term="Application deadline">
          {formatDateTime(posting.deadline, where)}
          {where.timeZone !== posting.hostInstitute.timeZone ? (
            <span className="block text-sm text-slate-700">
              ({formatDateTime(posting.deadline, hostWhere)} at the host)
            </span>
          ) : null}
        </Fact>
        <Fact term="Start">
          between {formatDate(posting.earliestStart, utcDate)} and{" "}
          {formatDate(posting.latestStart, utcDate)}
        </Fact>
        <Fact term="Duration">{posting.durationMonths} months</Fact>
        <Fact term="Places">{posting.places}</Fact>
        <Fact term="Where">
          {WORK_MODE_LABELS[posting.workMode]}
          {posting.location ? `, ${posting.location}` : ""}
        </Fact>
        <Fact term="Minimum clearance">{CLEARANCE_LABELS[posting.minClearance]}</Fact>
        <Fact term="Open to staff of">{posting.eligible.map((i) => i.name).join(", ")}</Fact>
        <Fact term="Contact">{posting.contactHr.displayName}</Fact>
      </dl>
      {posting.requiredExpertise.length ? (
        <p className="mb-2">
          <span className="font-semibold">Required expertise: </span>
          {posting.requiredExpertise.join(", ")}
        </p>
      ) : null}
      {posting.desiredExpertise.length ? (
        <p className="mb-4">
          <span className="font-semibold">Desired expertise: </span>
          {posting.desiredExpertise.join(", ")}
        </p>
      ) : null}
      <section aria-labelledby="about-heading" className="mb-6">
        <h2 id="about-heading" className="mb-2 text-lg font-semibold">
          About the secondment
        </h2>
        {/* micromark output: raw HTML is escaped and unsafe links dropped. */}
        <div
          className="prose max-w-prose"
          dangerouslySetInnerHTML={{ __html: posting.descriptionHtml }}
        />
      </section>

      <section aria-labelledby="apply-heading" className="rounded border border-slate-300 p-4">
        <h2 id="apply-heading" className="mb-2 text-lg font-semibold">
          Applying
        </h2>
        {myApplication ? (
          <p>
            You have an application for this posting ({STATUS_LABELS[myApplication.status]}).{" "}
            <Link to={`/applications/${myApplication.id}`} className="text-brand-700 underline">
              View your application
            </Link>
          </p>
        ) : applyRefusal ? (
          <Alert tone="info">{applyRefusal}</Alert>
        ) : (
          <Form method="post" action={`/postings/${posting.id}/apply`}>
            <p className="mb-3">
              You can save a draft and come back to it. Submitting asks your line manager to release
              you.
            </p>
            <StatusButton type="submit" pending={pending}>
              Start an application
            </StatusButton>
          </Form>
        )}
      </section>
    </div>
  );
}
