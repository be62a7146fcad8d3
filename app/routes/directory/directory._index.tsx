import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSubmit } from "@remix-run/react";
import { Form } from "~/components/form";
import { Badge, Button, FilterGroup, PageHeader, Pagination, SearchBox } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { cachedSearchDirectory } from "~/modules/directory/search-cache.server";
import { directorySearchQuery } from "~/modules/directory/search-query";
import { parseDirectorySearch, type DirectorySearch } from "~/modules/directory/search-schema";

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
        <SearchBox
          id="directory-q"
          label="Search by name, title, expertise, skills or publications"
          defaultValue={search.q}
        />
        <div className="grid gap-8 md:grid-cols-[16rem_1fr]">
          <aside aria-label="Filters">
            <h2 className="mb-3 text-lg font-semibold">Filters</h2>
            {FACETS.map((f) => (
              <FilterGroup
                key={f.key}
                name={f.key}
                legend={f.legend}
                options={result.facets[f.key]}
                selected={search[f.key]}
                limit={12}
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
