import { Form } from "~/components/form";
import { Alert, Button } from "~/components/ui";
import { useIsPending } from "~/components/use-is-pending";
import type { PlacementStatus } from "../workflow";

/** The placement's status moves open to the actor, and what still blocks its start. */
export function PlacementMoves({
  status,
  version,
  moves,
  blockers,
}: {
  status: PlacementStatus;
  version: number;
  moves: PlacementStatus[];
  /** Required checklist items not yet done or waived. */
  blockers: string[];
}) {
  const pending = useIsPending();
  return (
    <section aria-labelledby="status-heading" className="mb-8">
      <h2 id="status-heading" className="mb-2 text-lg font-semibold">
        Status
      </h2>
      {blockers.length && status === "CLEARING" ? (
        <Alert tone="info" className="mb-3">
          Before it can start, these required items must be done or waived: {blockers.join("; ")}.
        </Alert>
      ) : null}
      <Form method="post" className="flex flex-wrap gap-3">
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="version" value={version} />
        {moves.map((to) => (
          <Button
            key={to}
            type="submit"
            name="to"
            value={to}
            variant={to === "CANCELLED" ? "secondary" : "primary"}
            disabled={pending}
          >
            {to === "CLEARING"
              ? "Start clearance"
              : to === "ACTIVE"
                ? "Activate placement"
                : to === "COMPLETED"
                  ? "Mark completed"
                  : "Cancel placement"}
          </Button>
        ))}
      </Form>
    </section>
  );
}
