import { Badge } from "~/components/ui";
import { PLACEMENT_STATUS_LABELS, type PlacementStatus } from "../workflow";

/** Under the page title: the placement's status, its checklist progress and its calendar file. */
export function PlacementStatusLine({
  placement: p,
  progress,
}: {
  placement: { id: string; status: PlacementStatus };
  progress: { done: number; total: number };
}) {
  return (
    <p className="mb-4 flex flex-wrap gap-2">
      <Badge tone={p.status === "ACTIVE" ? "success" : "info"}>
        {PLACEMENT_STATUS_LABELS[p.status]}
      </Badge>
      <span>
        Checklist: {progress.done} of {progress.total} done
      </span>
      <a href={`/placements/${p.id}/calendar.ics`} className="text-brand-700 underline" download>
        Dates and due dates as a calendar (.ics)
      </a>
    </p>
  );
}
