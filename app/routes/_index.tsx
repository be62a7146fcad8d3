import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { suggestedCollaborators } from "~/modules/directory/directory.server";

export const meta: MetaFunction = () => [{ title: "Home | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    displayName: user.displayName,
    institute: user.institute,
    roles: user.roles,
    suggestions: await suggestedCollaborators(user),
  };
}

export default function Home() {
  const { displayName, institute, roles, suggestions } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title={`Welcome, ${displayName}`}
        description={`${institute.name} · ${roles.join(", ")}`}
      />
      <section aria-labelledby="start-here" className="grid gap-4 md:grid-cols-2">
        <h2 id="start-here" className="sr-only">
          Start here
        </h2>
        <div className="rounded border border-slate-200 bg-white p-4">
          <h3 className="text-lg font-semibold">Your account</h3>
          <p className="mt-1 text-slate-700">
            Password, two-step verification and where you are signed in.
          </p>
          <Link to="/account" className="mt-2 inline-block text-brand-700 underline">
            Manage your account
          </Link>
        </div>
        {roles.includes("ADMIN") ? (
          <div className="rounded border border-slate-200 bg-white p-4">
            <h3 className="text-lg font-semibold">Administration</h3>
            <p className="mt-1 text-slate-700">
              Invite people, manage roles, institutes, the audit log and outgoing email.
            </p>
            <Link to="/admin/users" className="mt-2 inline-block text-brand-700 underline">
              Manage users
            </Link>
          </div>
        ) : null}
      </section>
      {suggestions.length ? (
        <section aria-labelledby="suggested" className="mt-10">
          <h2 id="suggested" className="mb-3 text-xl font-semibold">
            Suggested collaborators for you
          </h2>
          <ul className="grid gap-3 md:grid-cols-2">
            {suggestions.map((s) => (
              <li key={s.userId} className="rounded border border-slate-200 bg-white p-3">
                <Link
                  to={`/directory/${s.userId}`}
                  className="font-semibold text-brand-700 underline"
                >
                  {s.displayName}
                </Link>{" "}
                <span className="text-slate-700">
                  · {s.jobTitle} · {s.instituteCode}
                </span>
                <p className="text-sm">Shares: {s.shared.join(", ")}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
