import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { Badge, Button, SelectField } from "~/components/ui";

type Workspace = { id: string; name: string; label: string };

/**
 * The host workspaces named for the placement (its secondee edits them while it is active), and
 * for their owners the forms to name one or stop naming it.
 */
export function HostWorkspaces({
  workspaces,
  errors,
}: {
  workspaces: {
    canLink: boolean;
    linked: (Workspace & { canUnlink: boolean })[];
    hiddenCount: number;
    linkable: Workspace[];
  };
  errors?: string[];
}) {
  return (
    <section aria-labelledby="workspaces-heading" className="mb-8">
      <h2 id="workspaces-heading" className="mb-2 text-lg font-semibold">
        Host workspaces
      </h2>
      <p className="mb-2 text-gray-700">
        While the placement is active, the secondee is an editor of each workspace named here; the
        access ends when the placement completes or is cancelled.
      </p>
      <FormErrors errors={errors} />
      {workspaces.linked.length ? (
        <ul className="mb-3 space-y-2">
          {workspaces.linked.map((w) => (
            <li key={w.id} className="flex flex-wrap items-center gap-2">
              <a href={`/workspaces/${w.id}`} className="text-brand-700 underline">
                {w.name}
              </a>
              <Badge>{w.label}</Badge>
              {w.canUnlink ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="unlink-workspace" />
                  <input type="hidden" name="workspaceId" value={w.id} />
                  <Button type="submit" variant="secondary" size="sm">
                    Stop naming<span className="sr-only"> {w.name}</span>
                  </Button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {workspaces.hiddenCount ? (
        <p className="mb-3">
          {workspaces.hiddenCount} other workspace{workspaces.hiddenCount === 1 ? " is" : "s are"}{" "}
          named that you are not a member of.
        </p>
      ) : null}
      {!workspaces.linked.length && !workspaces.hiddenCount ? (
        <p className="mb-3">No workspace is named.</p>
      ) : null}
      {workspaces.canLink && workspaces.linkable.length ? (
        <Form method="post" className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="intent" value="link-workspace" />
          <SelectField
            label="Name a workspace you own"
            selectProps={{ name: "workspaceId" }}
            options={workspaces.linkable.map((w) => ({
              value: w.id,
              label: `${w.name} (${w.label})`,
            }))}
          />
          <Button type="submit" variant="secondary">
            Name workspace
          </Button>
        </Form>
      ) : null}
    </section>
  );
}
