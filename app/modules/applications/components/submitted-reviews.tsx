import type { ReviewView } from "../reviews.server";
import { PageSection } from "./page-section";

/** The submitted reviews the actor may see: each reviewer's scores and comments. */
export function SubmittedReviews({ reviews }: { reviews: ReviewView[] }) {
  return (
    <PageSection id="scores-heading" title="Submitted reviews">
      <ul className="space-y-3">
        {reviews
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
    </PageSection>
  );
}
