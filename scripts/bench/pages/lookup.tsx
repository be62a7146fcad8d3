import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { db } from "~/lib/db.server";
import { BenchPage, benchPageData } from "./static";

// Load-test baseline (`npm run bench`, docs/performance.md): the static baseline's page plus
// exactly one primary-key lookup through Prisma, and no session lookup. The query sits in the
// route on purpose: it is the thing being measured, not a service other pages share.

export const meta: MetaFunction = () => [{ title: "Benchmark lookup | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const id = new URL(request.url).searchParams.get("id") ?? "";
  const institute = await db.institute.findUnique({
    where: { id },
    select: { id: true, code: true, name: true },
  });
  if (!institute) throw new Response("Not found", { status: 404 });
  return { title: `Benchmark lookup: ${institute.name}`, result: benchPageData(0) };
}

export default function BenchLookup() {
  const { title, result } = useLoaderData<typeof loader>();
  return <BenchPage title={title} result={result} />;
}
