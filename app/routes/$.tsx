import type { MetaFunction } from "@remix-run/node";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { notFound } from "~/lib/service";

export const meta: MetaFunction = () => [{ title: "Page not found | Exchange portal" }];

// Any URL no other route claims: a real 404, rendered by the error boundary inside the layout.
export async function loader() {
  throw notFound();
}

export default function NotFound() {
  return <GeneralErrorBoundary />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
