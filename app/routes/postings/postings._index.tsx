import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import {
  Badge,
  Button,
  Field,
  FilterGroup,
  PageHeader,
  Pagination,
  SearchBox,
} from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { formatDate, formatDateTime } from "~/lib/format";
import { postingsListPage } from "~/modules/postings/list-cache.server";
import { DURATION_LABELS, WORK_MODE_LABELS, WORK_MODES } from "~/modules/postings/labels";
import { urlDateErrors } from "~/lib/validation";
import { parsePostingFilter } from "~/modules/postings/schema";

export const meta: MetaFunction = () => [{ title: "Secondment postings | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const filter = parsePostingFilter(params);
  const { result, suggested } = await postingsListPage(user, filter);
  return {
    filter,
    dateErrors: urlDateErrors(params, ["startFrom", "startTo"]),
    result,
    suggested,
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
    isHr: user.roles.includes("HR"),
  };
}

export default function Postings() {
  const { filter, dateErrors, result, suggested, where, isHr } = useLoaderData<typeof loader>();
  const makeHref = (page: number) => {
    const params = new URLSearchParams();
    if (filter.q) params.set("q", filter.q);
    for (const key of ["institute", "expertise", "duration", "workMode"] as const)
      for (const v of filter[key]) params.append(key, v);
    if (filter.startFrom) params.set("startFrom", filter.startFrom);
    if (filter.startTo) params.set("startTo", filter.startTo);
    if (page > 1) params.set("page", String(page));
    return `/postings${params.size ? `?${params}` : ""}`;
  };
  return (
    <>
      <PageHeader
        title="Secondment postings"
        description="Open secondments at partner institutes that staff of your institute may apply for."
        actions={
          isHr ? (
            <Link
              to="/postings/manage"
              className="rounded border-2 border-brand-700 px-4 py-2 font-semibold text-brand-700"
            >
              Manage your institute&rsquo;s postings
            </Link>
          ) : null
        }
      />
      {suggested.length ? (
        <section
          aria-labelledby="suggested-heading"
          className="mb-6 rounded border border-brand-700 p-4"
        >
          <h2 id="suggested-heading" className="mb-2 text-lg font-semibold">
            Suggested for you
          </h2>
          <ul className="space-y-1">
            {suggested.map((p) => (
              <li key={p.id}>
                <Link to={`/postings/${p.id}`} className="text-brand-700 underline">
                  {p.title}
                </Link>{" "}
                ({p.hostName}) · matches your expertise: {p.shared.join(", ")}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <Form method="get" role="search" aria-label="Postings">
        <SearchBox
          id="postings-q"
          label="Search titles, teams, descriptions and locations"
          defaultValue={filter.q}
        />
        <div className="grid gap-8 md:grid-cols-[16rem_1fr]">
          <aside aria-label="Filters">
            <h2 className="mb-3 text-lg font-semibold">Filters</h2>
            <FilterGroup
              legend="Host institute"
              name="institute"
              options={result.institutes.map((i) => ({ value: i.code, label: i.name }))}
              selected={filter.institute}
            />
            <FilterGroup
              legend="Expertise"
              name="expertise"
              options={result.areas.map((a) => ({ value: a.id, label: a.name }))}
              selected={filter.expertise}
            />
            <FilterGroup
              legend="Duration"
              name="duration"
              options={Object.entries(DURATION_LABELS).map(([value, label]) => ({ value, label }))}
              selected={filter.duration}
            />
            <FilterGroup
              legend="On site or remote"
              name="workMode"
              options={WORK_MODES.map((m) => ({ value: m, label: WORK_MODE_LABELS[m] }))}
              selected={filter.workMode}
            />
            <fieldset className="mb-4">
              <legend className="mb-1 font-semibold">Could start between</legend>
              <Field
                label="From"
                className="mb-2"
                errors={dateErrors.startFrom}
                inputProps={{
                  id: "startFrom",
                  type: "date",
                  name: "startFrom",
                  defaultValue: filter.startFrom,
                }}
              />
              <Field
                label="To"
                errors={dateErrors.startTo}
                inputProps={{
                  id: "startTo",
                  type: "date",
                  name: "startTo",
                  defaultValue: filter.startTo,
                }}
              />
            </fieldset>
            <Button type="submit" variant="secondary" size="sm">
              Apply filters
            </Button>
          </aside>
          <section aria-labelledby="postings-heading">
            <h2 id="postings-heading" className="mb-3 text-lg font-semibold" aria-live="polite">
              {result.total === 1 ? "1 open posting" : `${result.total} open postings`}
            </h2>
            {result.items.length === 0 ? (
              <p>No open posting matches. Remove a filter or check back later.</p>
            ) : (
              <ul className="space-y-3">
                {result.items.map((p) => (
                  <li key={p.id} className="rounded border border-slate-200 bg-white p-4">
                    <h3 className="text-lg font-semibold">
                      <Link to={`/postings/${p.id}`} className="text-brand-700 underline">
                        {p.title}
                      </Link>
                    </h3>
                    <p className="text-slate-700">
                      {[p.hostName, p.team].filter(Boolean).join(" · ")}
                    </p>
                    <p className="mt-1 text-sm">
                      {WORK_MODE_LABELS[p.workMode as keyof typeof WORK_MODE_LABELS]}
                      {p.location ? `, ${p.location}` : ""} · {p.durationMonths} months · starts{" "}
                      {formatDate(p.earliestStart, { ...where, timeZone: "UTC" })} to{" "}
                      {formatDate(p.latestStart, { ...where, timeZone: "UTC" })}
                    </p>
                    <p className="mt-1 text-sm">
                      Apply by <strong>{formatDateTime(p.deadline, where)}</strong>
                    </p>
                    {p.expertise.length ? (
                      <p className="mt-1 flex flex-wrap gap-1">
                        {p.expertise.map((e) => (
                          <Badge key={e}>{e}</Badge>
                        ))}
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
            <Pagination page={filter.page} pageCount={result.pageCount} makeHref={makeHref} />
          </section>
        </div>
      </Form>
    </>
  );
}
