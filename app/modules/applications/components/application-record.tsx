import { formatDate, type Locality } from "~/lib/format";
import { CLEARANCE_LABELS } from "~/modules/postings/schema";
import type { ApplicationView } from "../application-page.server";
import { PageSection } from "./page-section";

/** What the applicant submitted: availability, declared clearance, line manager, statement, CV. */
export function ApplicationRecord({
  application: app,
  cv,
  where,
}: {
  application: ApplicationView["application"];
  cv: ApplicationView["cv"];
  where: Locality;
}) {
  return (
    <PageSection id="record-heading" title="Application">
      <dl className="mb-4 grid gap-4 sm:grid-cols-3">
        <div>
          <dt className="font-semibold">Available</dt>
          <dd>
            {app.availableFrom ? formatDate(app.availableFrom, { ...where, timeZone: "UTC" }) : "–"}{" "}
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
      {cv ? (
        <p>
          <a href={`/applications/${app.id}/cv`} className="text-brand-700 underline" download>
            Download CV ({cv.filename}, {Math.ceil(cv.size / 1024)} KB)
          </a>
        </p>
      ) : null}
    </PageSection>
  );
}
