import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, Button, PageHeader, Pagination } from "~/components/ui";

// Load-test baseline (`npm run bench`, docs/performance.md): a page shaped like a directory
// results page (same layout, facets, 20 result cards, pagination) whose loader touches no
// database and needs no user. Only a benchmark build has it (app/routes.ts).

export const meta: MetaFunction = () => [{ title: "Benchmark baseline | Exchange portal" }];

const NAMES = ["Ada", "Ben", "Chiara", "Dev", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jonas"];
const SURNAMES = ["Okafor", "Rahman", "Park", "Griffiths", "Natarajan", "Hughes", "Blake", "Costa"];
const AREAS = [
  "Interpretability",
  "Red teaming",
  "Cyber evaluations",
  "Biosecurity",
  "Alignment",
  "Societal impacts",
  "Model evaluations",
  "Safeguards",
  "Compute governance",
  "Autonomy",
  "Chemistry",
  "Policy",
];

export type BenchHit = {
  userId: string;
  displayName: string;
  jobTitle: string;
  instituteName: string;
  expertise: string[];
  snippet: { text: string; mark: boolean }[];
  openToSecondment: boolean;
  openToCollaboration: boolean;
};
export type BenchFacet = { value: string; label: string; count: number };

/** Deterministic page data of the same shape and size as a search result (built per request). */
export function benchPageData(seed: number) {
  const hits: BenchHit[] = Array.from({ length: 20 }, (_, i) => {
    const n = seed + i;
    return {
      userId: `bench${n.toString(36).padStart(21, "0")}`,
      displayName: `${NAMES[n % NAMES.length]} ${SURNAMES[(n * 7) % SURNAMES.length]}`,
      jobTitle: "Research scientist, evaluations",
      instituteName: "US AI Safety Institute",
      expertise: [AREAS[n % AREAS.length]!, AREAS[(n + 3) % AREAS.length]!],
      snippet: [
        { text: "Works on ", mark: false },
        { text: "interpretability", mark: true },
        {
          text: " of large language models, sparse autoencoders and circuit analysis; previously led a red-teaming programme for frontier model releases",
          mark: false,
        },
      ],
      openToSecondment: n % 2 === 0,
      openToCollaboration: n % 3 === 0,
    };
  });
  const facet = (labels: string[]): BenchFacet[] =>
    labels.map((label, i) => ({
      value: `v${i}-${label.toLowerCase()}`,
      label,
      count: 900 - i * 37,
    }));
  return {
    hits,
    total: 1234,
    page: 1,
    pageCount: 62,
    facets: {
      institute: facet(["US-AISI", "UK-AISI", "CA-AISI", "JP-AISI", "SG-AISI"]),
      expertise: facet(AREAS),
      availability: facet(["Open to secondment", "Open to collaboration"]),
      location: facet(["London", "Washington DC", "San Francisco", "Tokyo", "Singapore"]),
    },
  };
}

export type BenchPageData = ReturnType<typeof benchPageData>;

export async function loader({ request }: LoaderFunctionArgs) {
  const seed = Number(new URL(request.url).searchParams.get("seed")) || 0;
  return { title: "Benchmark baseline", result: benchPageData(seed % 1000) };
}

/** The markup of a results page: filters, 20 cards, pagination. */
export function BenchPage({ title, result }: { title: string; result: BenchPageData }) {
  return (
    <>
      <PageHeader
        title={title}
        description="A page with the markup of a directory search result, for load tests."
      />
      <form method="get" role="search" aria-label="Benchmark">
        <div className="mb-6 flex flex-wrap items-end gap-3">
          <div className="min-w-0 flex-1">
            <label htmlFor="bench-q" className="block font-semibold">
              Search
            </label>
            <input
              id="bench-q"
              type="search"
              name="q"
              className="mt-1 block w-full rounded border-2 border-gray-600 bg-white px-3 py-2"
            />
          </div>
          <Button type="submit">Search</Button>
        </div>
        <div className="grid gap-8 md:grid-cols-[16rem_1fr]">
          <aside aria-label="Filters">
            <h2 className="mb-3 text-lg font-semibold">Filters</h2>
            {Object.entries(result.facets).map(([name, values]) => (
              <fieldset key={name} className="mb-4">
                <legend className="mb-1 font-semibold">{name}</legend>
                <ul className="space-y-1">
                  {values.map((v) => (
                    <li key={v.value}>
                      <label className="flex items-center gap-2">
                        <input type="checkbox" name={name} value={v.value} className="h-4 w-4" />
                        <span>
                          {v.label} <span className="text-slate-700">({v.count})</span>
                        </span>
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
            ))}
          </aside>
          <section aria-labelledby="results-heading">
            <h2 id="results-heading" className="mb-3 text-lg font-semibold">
              {result.total} people
            </h2>
            <ul className="space-y-3">
              {result.hits.map((hit) => (
                <li key={hit.userId} className="rounded border border-slate-200 bg-white p-4">
                  <h3 className="text-lg font-semibold">
                    <Link
                      to={`/bench/static?id=${hit.userId}`}
                      className="text-brand-700 underline"
                    >
                      {hit.displayName}
                    </Link>
                  </h3>
                  <p className="text-slate-700">
                    {hit.jobTitle} · {hit.instituteName}
                  </p>
                  <p className="mt-1 flex flex-wrap gap-1">
                    {hit.expertise.map((e) => (
                      <Badge key={e}>{e}</Badge>
                    ))}
                  </p>
                  <p className="mt-2 text-sm">
                    {hit.snippet.map((part, i) =>
                      part.mark ? (
                        <mark key={i}>{part.text}</mark>
                      ) : (
                        <span key={i}>{part.text}</span>
                      ),
                    )}
                  </p>
                  <p className="mt-1 flex gap-2 text-sm">
                    {hit.openToSecondment ? <Badge tone="success">Open to secondment</Badge> : null}
                    {hit.openToCollaboration ? (
                      <Badge tone="info">Open to collaboration</Badge>
                    ) : null}
                  </p>
                </li>
              ))}
            </ul>
            <Pagination
              page={result.page}
              pageCount={result.pageCount}
              makeHref={(page) => `/bench/static?page=${page}`}
            />
          </section>
        </div>
      </form>
    </>
  );
}

export default function BenchStatic() {
  const { title, result } = useLoaderData<typeof loader>();
  return <BenchPage title={title} result={result} />;
}
