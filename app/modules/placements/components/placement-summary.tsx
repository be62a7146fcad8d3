import { formatDate, type Locality } from "~/lib/format";
import { OWNER_SIDE_LABELS, OWNER_SIDES, type OwnerSide } from "~/modules/checklists/logic";
import {
  ARRANGEMENT_LABELS,
  COST_LABELS,
  type ARRANGEMENT_TYPES,
  type COST_ARRANGEMENTS,
} from "../schema";

type Counts = { done: number; total: number };

/** The placement at a glance: dates, host supervisor, terms, progress by side, extensions. */
export function PlacementSummary({
  placement: p,
  perSide,
  extensions,
  canChangeSupervisor,
  where,
}: {
  placement: {
    id: string;
    startDate: Date | null;
    endDate: Date | null;
    hostSupervisor: { displayName: string } | null;
    arrangementType: (typeof ARRANGEMENT_TYPES)[number];
    costArrangement: (typeof COST_ARRANGEMENTS)[number];
  };
  perSide: Record<OwnerSide, Counts>;
  extensions: { id: string; previousEnd: Date | null; newEnd: Date; reason: string }[];
  /** HR may name someone else (the link opens the supervisor picker). */
  canChangeSupervisor: boolean;
  where: Locality;
}) {
  const date = (d: Date | null) => (d ? formatDate(d, where) : "Not set");
  return (
    <section aria-labelledby="summary-heading" className="mb-8">
      <h2 id="summary-heading" className="mb-2 text-lg font-semibold">
        Summary
      </h2>
      <dl className="grid gap-4 sm:grid-cols-3">
        <div>
          <dt className="font-semibold">Start</dt>
          <dd>{date(p.startDate)}</dd>
        </div>
        <div>
          <dt className="font-semibold">Planned end</dt>
          <dd>{date(p.endDate)}</dd>
        </div>
        <div>
          <dt className="font-semibold">Host supervisor</dt>
          <dd>
            {p.hostSupervisor?.displayName ?? "Not named"}
            {canChangeSupervisor ? (
              <>
                {" "}
                <a
                  href={`/placements/${p.id}?supervisor=change#supervisor-heading`}
                  className="text-brand-700 underline"
                >
                  Change<span className="sr-only"> the host supervisor</span>
                </a>
              </>
            ) : null}
          </dd>
        </div>
        <div>
          <dt className="font-semibold">Arrangement</dt>
          <dd>{ARRANGEMENT_LABELS[p.arrangementType]}</dd>
        </div>
        <div>
          <dt className="font-semibold">Costs</dt>
          <dd>{COST_LABELS[p.costArrangement]}</dd>
        </div>
        <div>
          <dt className="font-semibold">Progress by side</dt>
          <dd>
            {OWNER_SIDES.map((s) => (
              <span key={s} className="block">
                {OWNER_SIDE_LABELS[s]}: {perSide[s].done} of {perSide[s].total}
              </span>
            ))}
          </dd>
        </div>
      </dl>
      {extensions.length ? (
        <>
          <h3 className="mt-4 font-semibold">Extensions</h3>
          <ul className="list-disc pl-6">
            {extensions.map((e) => (
              <li key={e.id}>
                {date(e.previousEnd)} to {date(e.newEnd)}: {e.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
