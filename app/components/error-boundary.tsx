import {
  isRouteErrorResponse,
  Link,
  useParams,
  useRouteError,
  type ErrorResponse,
} from "@remix-run/react";
import * as React from "react";
import { clock } from "~/lib/clock";

type Params = ReturnType<typeof useParams>;

export type StatusHandler = (info: { error: ErrorResponse; params: Params }) => React.ReactNode;

export interface GeneralErrorBoundaryProps {
  /** Per-status pages; merged over the built-in 400, 403, 404 and 429 pages. */
  statusHandlers?: Record<number, StatusHandler>;
  defaultStatusHandler?: StatusHandler;
  unexpectedErrorHandler?: (error: unknown) => React.ReactNode;
}

function ErrorPage({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="max-w-prose space-y-4 py-8">
      <h1 className="text-3xl font-bold tracking-tight text-gray-900">{title}</h1>
      {children}
    </div>
  );
}

/** Text an `invariantResponse` (or any deliberate 4xx) put in the response body. */
function responseMessage(error: ErrorResponse): string | undefined {
  if (typeof error.data === "string") return error.data.trim() || undefined;
  if (
    error.data &&
    typeof error.data === "object" &&
    "message" in error.data &&
    typeof error.data.message === "string"
  ) {
    return error.data.message;
  }
  return undefined;
}

function forbiddenMessage(error: ErrorResponse): string | undefined {
  const message = responseMessage(error);
  return message === "Forbidden" ? undefined : message;
}

const builtInHandlers: Record<number, StatusHandler> = {
  400: ({ error }) => (
    <ErrorPage title="There is a problem with your request">
      <p className="text-gray-900">
        {responseMessage(error) ?? "The request could not be processed."}
      </p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </ErrorPage>
  ),
  403: ({ error }) => (
    <ErrorPage title="You do not have permission to do this">
      {responseMessage(error) && responseMessage(error) !== "Forbidden" ? (
        <p className="text-gray-900">{responseMessage(error)}</p>
      ) : null}
      <p className="text-gray-900">
        {/* A refusal that says why (a form without its anti-forgery token) says what to do. */}
        {forbiddenMessage(error) ??
          "If you think you should have access, contact your institute's HR coordinator or a system administrator."}
      </p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </ErrorPage>
  ),
  // Also what a record the user may not see looks like, so the wording does not confirm it exists.
  404: () => (
    <ErrorPage title="Page not found">
      <p className="text-gray-900">
        If you typed the web address, check it is correct. If you followed a link, the page may have
        moved, been removed, or not be available to you.
      </p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </ErrorPage>
  ),
  // A limit's refusal (tooManyRequests) says which limit and when to try again.
  429: ({ error }) => (
    <ErrorPage title="Too many attempts">
      <p className="text-gray-900">
        {responseMessage(error) || "Wait a few minutes, then try again."}
      </p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </ErrorPage>
  ),
};

// A response we did not anticipate may carry internal detail, so its body is never shown.
const defaultStatus: StatusHandler = ({ error }) => (
  <ErrorPage title="Sorry, there is a problem with the service">
    <p className="text-gray-900">Try again later. (Error {error.status})</p>
    <p>
      <Link to="/">Go to the home page</Link>
    </p>
  </ErrorPage>
);

function UnexpectedError({ error }: { error: unknown }) {
  // The server-rendered time is kept on hydration (hence suppressHydrationWarning), so the
  // reference a user quotes matches the timestamp of the server's log entry.
  const [reference] = React.useState(() => clock.now().toISOString());
  return (
    <ErrorPage title="Something went wrong">
      <p className="text-gray-900">
        Sorry, there is a problem with the service. Try again later. If it keeps happening, contact
        support and quote this reference:
      </p>
      <p className="font-semibold text-gray-900">
        Reference:{" "}
        <time dateTime={reference} suppressHydrationWarning>
          {reference}
        </time>
      </p>
      {import.meta.env.DEV ? (
        <pre className="overflow-x-auto whitespace-pre-wrap rounded border-2 border-red-700 bg-red-50 p-4 text-sm text-gray-900">
          {error instanceof Error ? (error.stack ?? error.message) : String(error)}
        </pre>
      ) : null}
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </ErrorPage>
  );
}

/**
 * The one error boundary routes export. Every branch renders an h1, so an error page is never
 * a page without a heading. Production shows no error message or stack for unexpected errors.
 */
export function GeneralErrorBoundary({
  statusHandlers,
  defaultStatusHandler = defaultStatus,
  unexpectedErrorHandler = (error) => <UnexpectedError error={error} />,
}: GeneralErrorBoundaryProps) {
  const error = useRouteError();
  const params = useParams();

  // Server errors are logged by entry.server's handleError; this covers errors in the browser.
  React.useEffect(() => {
    console.error(error);
  }, [error]);

  if (isRouteErrorResponse(error)) {
    const handler =
      statusHandlers?.[error.status] ?? builtInHandlers[error.status] ?? defaultStatusHandler;
    return <>{handler({ error, params })}</>;
  }
  return <>{unexpectedErrorHandler(error)}</>;
}
