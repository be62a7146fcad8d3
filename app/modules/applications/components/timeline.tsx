import { formatDateTime, type Locality } from "~/lib/format";
import type { ApplicationView } from "../application-page.server";
import { STATUS_LABELS } from "../workflow";
import { PageSection } from "./page-section";

/** The shared timeline: every move of the application, who made it, when, and their comment. */
export function Timeline({
  events,
  where,
}: {
  events: ApplicationView["timeline"];
  where: Locality;
}) {
  return (
    <PageSection id="timeline-heading" title="Timeline">
      {events.length === 0 ? (
        <p>Not submitted yet.</p>
      ) : (
        <ol className="space-y-2 border-l-2 border-slate-300 pl-4">
          {events.map((e) => (
            <li key={e.id}>
              <p>
                <strong>{STATUS_LABELS[e.toStatus]}</strong> · {e.actor?.displayName ?? "System"}{" "}
                {"· "}
                {formatDateTime(e.createdAt, where)}
              </p>
              {e.comment ? <p className="whitespace-pre-wrap text-slate-800">{e.comment}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </PageSection>
  );
}
