import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { Badge, Button, PageHeader, Pagination } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { type FacetValue } from "~/modules/directory/directory.server";
import { cachedSearchDirectory } from "~/modules/directory/search-cache.server";
import {
  directorySearchQuery,
  parseDirectorySearch,
  type DirectorySearch,
} from "~/modules/directory/search-schema";

export const meta: MetaFunction = () => [{ title: "Directory of expertise | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const search = parseDirectorySearch(new URL(request.url).searchParams);
  return { search, result: await cachedSearchDirectory(user, search) };
}

const FACETS: { key: "institute" | "expertise" | "availability" | "location"; legend: string }[] = [
  { key: "institute", legend: "Institute" },
  { key: "expertise", legend: "Expertise" },
  { key: "availability", legend: "Availability" },
  { key: "location", legend: "Location" },
];

function FacetGroup({
  name,
  legend,
  values,
  selected,
}: {
  name: string;
  legend: string;
  values: FacetValue[];
  selected: string[];
}) {
  // Selected values stay listed (with no count) so they can be unticked even when nothing matches.
  const shown = [...values];
  for (const value of selected)
    if (!shown.some((v) => v.value === value)) shown.push({ value, label: value, count: 0 });
  if (!shown.length) return null;
  return (
    <fieldset className="mb-4">
      <legend className="mb-1 font-semibold">{legend}</legend>
      <ul className="space-y-1">
        {shown.slice(0, 12).map((v) => (
          <li key={v.value}>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                name={name}
                value={v.value}
                defaultChecked={selected.includes(v.value)}
                className="h-4 w-4"
              />
              <span>
                {v.label} <span className="text-slate-700">({v.count})</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

export default function Directory() {
  const { search, result } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const makeHref = (page: number) =>
    `/directory${directorySearchQuery({ ...search, page } as DirectorySearch)}`;
  return (
    <>
      <PageHeader
        title="Directory of expertise"
        description="Find collaborators and candidates across the partner institutes. You only ever see what people chose to share with you."
        actions={
          <Link
            to="/directory/me/edit"
            className="rounded border-2 border-brand-700 px-4 py-2 font-semibold text-brand-700"
          >
            Edit your profile
          </Link>
        }
      />
      <Form
        method="get"
        role="search"
        aria-label="Directory"
        onChange={(e) =>
          (e.target as HTMLElement).getAttribute("type") === "checkbox" && submit(e.currentTarget)
        }
      >
        <div className="mb-6 flex flex-wrap items-end gap-3">
          <div className="min-w-0 flex-1">
            <label htmlFor="directory-q" className="block font-semibold">
              Search by name, title, expertise, skills or publications
            </label>
            <input
              id="directory-q"
              type="search"
              name="q"
              defaultValue={search.q}
              maxLength={200}
              className="mt-1 block w-full rounded border-2 border-gray-600 bg-white px-3 py-2"
            />
          </div>
          <Button type="submit">Search</Button>
        </div>
        <div className="grid gap-8 md:grid-cols-[16rem_1fr]">
          <aside aria-label="Filters">
            <h2 className="mb-3 text-lg font-semibold">Filters</h2>
            {FACETS.map((f) => (
              <FacetGroup
                key={f.key}
                name={f.key}
                legend={f.legend}
                values={result.facets[f.key]}
                selected={search[f.key]}
              />
            ))}
            <Button type="submit" variant="secondary" size="sm">
              Apply filters
            </Button>
          </aside>
          <section aria-labelledby="results-heading">
            <h2 id="results-heading" className="mb-3 text-lg font-semibold" aria-live="polite">
              {result.total === 1 ? "1 person" : `${result.total} people`}
              {search.q ? ` matching “${search.q}”` : ""}
            </h2>
            {result.hits.length === 0 ? (
              <p>No one matches. Try fewer words or remove a filter.</p>
            ) : (
              <ul className="space-y-3">
                {result.hits.map((hit) => (
                  <li key={hit.userId} className="rounded border border-slate-200 bg-white p-4">
                    <h3 className="text-lg font-semibold">
                      <Link to={`/directory/${hit.userId}`} className="text-brand-700 underline">
                        {hit.displayName}
                      </Link>
                    </h3>
                    <p className="text-slate-700">
                      {hit.jobTitle}
                      {hit.jobTitle ? " · " : ""}
                      {hit.instituteName}
                    </p>
                    {hit.expertise.length ? (
                      <p className="mt-1 flex flex-wrap gap-1">
                        {hit.expertise.map((e) => (
                          <Badge key={e}>{e}</Badge>
                        ))}
                      </p>
                    ) : null}
                    {hit.snippet.length ? (
                      <p className="mt-2 text-sm">
                        {hit.snippet.map((part, i) =>
                          part.mark ? (
                            <mark key={i}>{part.text}</mark>
                          ) : (
                            <span key={i}>{part.text}</span>
                          ),
                        )}
                      </p>
                    ) : null}
                    <p className="mt-1 flex gap-2 text-sm">
                      {hit.openToSecondment ? (
                        <Badge tone="success">Open to secondment</Badge>
                      ) : null}
                      {hit.openToCollaboration ? (
                        <Badge tone="info">Open to collaboration</Badge>
                      ) : null}
                    </p>
                  </li>
                ))}
              </ul>
            )}
            <Pagination page={result.page} pageCount={result.pageCount} makeHref={makeHref} />
          </section>
        </div>
      </Form>
    </>
  );
}
