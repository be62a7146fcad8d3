import { Form } from "~/components/form";
import { Button, Field, SelectField, StatusButton } from "~/components/ui";
import type { ListOfErrors } from "~/components/ui";

type Person = { id: string; displayName: string; jobTitle?: string };

/**
 * Naming the host supervisor: a search over the host's staff (a GET form, so it works without
 * JavaScript and the URL can be shared) and a short list of matches to choose from.
 */
export function SupervisorPicker({
  placementId,
  version,
  hostName,
  current,
  picker,
  limit,
  errors,
  pending,
}: {
  placementId: string;
  version: number;
  hostName: string;
  current: Person | null;
  picker: { query: string; candidates: Person[]; more: boolean };
  limit: number;
  errors?: ListOfErrors;
  pending: boolean;
}) {
  const { query, candidates, more } = picker;
  const here = `/placements/${placementId}?supervisor=change${query ? `&q=${encodeURIComponent(query)}` : ""}`;
  // The current supervisor stays on the list, so saving without a change keeps them.
  const options = [
    ...(current && !candidates.some((c) => c.id === current.id) ? [current] : []),
    ...candidates,
  ].map((u) => ({
    value: u.id,
    label: u.jobTitle ? `${u.displayName} (${u.jobTitle})` : u.displayName,
  }));
  return (
    <section
      aria-labelledby="supervisor-heading"
      className="mb-8 rounded border border-slate-300 p-4"
    >
      <h2 id="supervisor-heading" className="mb-2 text-lg font-semibold">
        Change the host supervisor
      </h2>
      <p className="mb-3 text-gray-700">
        The host supervisor is someone at {hostName} who works the host&apos;s checklist items with
        HR. Now: {current?.displayName ?? "no one"}.
      </p>
      <Form
        method="get"
        action={`/placements/${placementId}`}
        className="mb-3 flex flex-wrap items-end gap-2"
      >
        <input type="hidden" name="supervisor" value="change" />
        <Field
          label={`Search staff of ${hostName} by name`}
          inputProps={{ name: "q", type: "search", defaultValue: query, maxLength: 100 }}
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </Form>
      <p className="mb-3" role="status">
        {candidates.length === 0
          ? `No one at ${hostName} matches “${query}”.`
          : more
            ? `Showing the first ${limit}${query ? ` matching “${query}”` : ""}, by name; search to narrow the list.`
            : `${candidates.length} ${candidates.length === 1 ? "person" : "people"}${query ? ` matching “${query}”` : ""}.`}
      </p>
      <Form method="post" action={here} className="flex flex-wrap items-end gap-2">
        <input type="hidden" name="intent" value="supervisor" />
        <input type="hidden" name="version" value={version} />
        <SelectField
          label="Host supervisor"
          placeholder="No host supervisor"
          selectProps={{ name: "hostSupervisorId", defaultValue: current?.id ?? "" }}
          options={options}
          errors={errors}
        />
        <StatusButton type="submit" pending={pending}>
          Save host supervisor
        </StatusButton>
        <a href={`/placements/${placementId}`} className="py-2 text-brand-700 underline">
          Cancel
        </a>
      </Form>
    </section>
  );
}
