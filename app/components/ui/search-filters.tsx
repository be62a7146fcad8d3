import { Button } from "./button";

/** The text box and button at the top of a search page (a GET form around it holds the state). */
export function SearchBox({
  id,
  label,
  defaultValue,
}: {
  id: string;
  label: string;
  defaultValue: string;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-end gap-3">
      <div className="min-w-0 flex-1">
        <label htmlFor={id} className="block font-semibold">
          {label}
        </label>
        <input
          id={id}
          type="search"
          name="q"
          defaultValue={defaultValue}
          maxLength={200}
          className="mt-1 block w-full rounded border-2 border-gray-600 bg-white px-3 py-2"
        />
      </div>
      <Button type="submit">Search</Button>
    </div>
  );
}

export type FilterOption = { value: string; label: string; count?: number };

/**
 * One filter of a search page: a checkbox per value, ticked when in the URL. Counts show when
 * given; values that are selected but absent from `options` stay listed so they can be unticked.
 */
export function FilterGroup({
  legend,
  name,
  options,
  selected,
  limit,
}: {
  legend: string;
  name: string;
  options: FilterOption[];
  selected: string[];
  limit?: number;
}) {
  const shown = [...options];
  for (const value of selected)
    if (!shown.some((o) => o.value === value))
      shown.push({
        value,
        label: value,
        count: options.some((o) => o.count !== undefined) ? 0 : undefined,
      });
  if (!shown.length) return null;
  return (
    <fieldset className="mb-4">
      <legend className="mb-1 font-semibold">{legend}</legend>
      <ul className="space-y-1">
        {shown.slice(0, limit).map((o) => (
          <li key={o.value}>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                name={name}
                value={o.value}
                defaultChecked={selected.includes(o.value)}
                className="h-4 w-4"
              />
              <span>
                {o.label}
                {o.count !== undefined ? (
                  <span className="text-slate-700"> ({o.count})</span>
                ) : null}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
