import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useNavigation,
  useRouteLoaderData,
} from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Form } from "~/components/form";
import { useNonce } from "~/components/nonce";
import { Alert } from "~/components/ui";
import { getOptionalUser, getSession } from "~/lib/auth.server";
import { csrfTokenFor } from "~/lib/csrf.server";
import { readFlash } from "~/lib/flash.server";
import stylesheet from "~/tailwind.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }];

export const meta: MetaFunction = () => [{ title: "Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const { flash, clear } = await readFlash(request);
  const csrf = csrfTokenFor(request);
  const headers = new Headers();
  if (clear) headers.append("Set-Cookie", clear);
  if (csrf.setCookie) headers.append("Set-Cookie", csrf.setCookie);
  return data(
    {
      user: user && {
        displayName: user.displayName,
        email: user.email,
        roles: user.roles,
        institute: user.institute,
        // Read with the session, in the same statement (session.server.ts).
        unread: (await getSession(request))!.unreadNotifications,
      },
      flash,
      /** Every form that posts carries it (components/form.tsx). */
      csrf: csrf.token,
    },
    { headers },
  );
}

export type RootData = Awaited<ReturnType<typeof loader>>["data"];

/** The signed-in user as the root loader exposes it, for any component. */
export function useOptionalUser() {
  return useRouteLoaderData<typeof loader>("root")?.user ?? null;
}

function PendingIndicator() {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <>
      <div
        aria-hidden="true"
        className={`fixed left-0 top-0 z-50 h-1 bg-brand-600 transition-all duration-500 ${busy ? "w-3/4 opacity-100" : "w-0 opacity-0"}`}
      />
      <p className="sr-only" aria-live="polite">
        {busy ? "Loading…" : ""}
      </p>
    </>
  );
}

function navClass({ isActive }: { isActive: boolean }) {
  return `rounded px-2 py-1 underline-offset-4 hover:underline ${isActive ? "bg-brand-800 font-semibold text-white" : "text-brand-50"}`;
}

function Header() {
  const user = useOptionalUser();
  return (
    <header className="bg-brand-900 text-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-4 py-3">
        <div className="flex items-center gap-3">
          <Link to="/" className="text-lg font-bold text-white no-underline">
            Exchange portal
          </Link>
          {user ? (
            <span className="rounded bg-brand-800 px-2 py-0.5 text-sm" title={user.institute.name}>
              {user.institute.code}
            </span>
          ) : null}
        </div>
        {user ? (
          <nav aria-label="Main" className="flex flex-wrap items-center gap-2 text-sm">
            <NavLink to="/" end className={navClass}>
              Home
            </NavLink>
            <NavLink to="/directory" className={navClass}>
              Directory
            </NavLink>
            <NavLink to="/postings" className={navClass}>
              Postings
            </NavLink>
            <NavLink to="/applications" className={navClass}>
              Applications
            </NavLink>
            <NavLink to="/placements" className={navClass}>
              Placements
            </NavLink>
            <NavLink to="/workspaces" className={navClass}>
              Workspaces
            </NavLink>
            {user.roles.includes("HR") ? (
              <NavLink to="/dashboard" className={navClass}>
                Dashboard
              </NavLink>
            ) : null}
            {user.roles.includes("ADMIN") ? (
              <>
                <NavLink to="/admin/users" className={navClass}>
                  Users
                </NavLink>
                <NavLink to="/admin/institutes" className={navClass}>
                  Institutes
                </NavLink>
                <NavLink to="/admin/expertise" className={navClass}>
                  Expertise
                </NavLink>
                <NavLink to="/admin/audit" className={navClass}>
                  Audit log
                </NavLink>
                <NavLink to="/admin/outbox" className={navClass}>
                  Outbox
                </NavLink>
              </>
            ) : null}
            <NavLink to="/notifications" className={navClass}>
              Notifications{" "}
              {user.unread ? (
                <span className="ml-1 rounded-full bg-white px-2 text-sm font-bold text-brand-900">
                  {user.unread}
                  <span className="sr-only"> unread</span>
                </span>
              ) : null}
            </NavLink>
            <NavLink to="/account" className={navClass}>
              <span className="sr-only">Your account: </span>
              {user.displayName}
            </NavLink>
            <Form method="post" action="/logout">
              <button
                type="submit"
                className="rounded px-2 py-1 text-brand-50 underline-offset-4 hover:underline"
              >
                Sign out
              </button>
            </Form>
          </nav>
        ) : null}
      </div>
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en" className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-full flex-col bg-slate-50 text-slate-900">
        <a href="#main" className="skip-link">
          Skip to main content
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { flash } = useLoaderData<typeof loader>();
  return (
    <>
      <PendingIndicator />
      <Header />
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8">
        {flash ? (
          <div className="mb-6">
            <Alert
              tone={flash.tone === "error" ? "error" : flash.tone === "info" ? "info" : "success"}
            >
              {flash.message}
            </Alert>
          </div>
        ) : null}
        <Outlet />
      </main>
      <footer className="border-t border-slate-200 bg-white">
        <p className="mx-auto max-w-6xl px-4 py-4 text-sm text-slate-700">
          Exchange portal of the partner AI safety institutes. Personal data is handled under each
          institute&apos;s privacy notice.
        </p>
      </footer>
    </>
  );
}

export function ErrorBoundary() {
  return (
    <>
      <Header />
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8">
        <GeneralErrorBoundary />
      </main>
    </>
  );
}
