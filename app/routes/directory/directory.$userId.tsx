import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Badge, PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { getProfile, similarPeople } from "~/modules/directory/directory.server";
import { idParam } from "~/lib/request.server";
import { notFound } from "~/lib/service";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.profile.displayName ?? "Profile"} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const userId = params.userId === "me" ? user.id : idParam(params, "userId");
  const profile = await getProfile(user, userId);
  if (!profile) throw notFound();
  return { profile, similar: await similarPeople(user, profile.userId) };
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="mb-6">
      <h2 className="mb-2 text-lg font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export default function ProfilePage() {
  const { profile, similar } = useLoaderData<typeof loader>();
  return (
    <div className="grid gap-8 md:grid-cols-[1fr_18rem]">
      <div>
        <PageHeader
          title={profile.displayName}
          description={[profile.jobTitle, profile.team, profile.instituteName]
            .filter(Boolean)
            .join(" · ")}
          actions={
            profile.isSelf ? (
              <Link
                to="/directory/me/edit"
                className="rounded border-2 border-brand-700 px-4 py-2 font-semibold text-brand-700"
              >
                Edit your profile
              </Link>
            ) : null
          }
        />
        <p className="mb-6 flex flex-wrap gap-2">
          {profile.openToSecondment ? <Badge tone="success">Open to secondment</Badge> : null}
          {profile.openToCollaboration ? <Badge tone="info">Open to collaboration</Badge> : null}
          {profile.location ? <Badge>{profile.location}</Badge> : null}
        </p>
        {profile.bioHtml ? (
          <Section title="About">
            {/* Rendered from markdown by micromark, which escapes raw HTML and unsafe links. */}
            <div
              className="prose max-w-prose"
              dangerouslySetInnerHTML={{ __html: profile.bioHtml }}
            />
          </Section>
        ) : null}
        {profile.expertise?.length ? (
          <Section title="Expertise">
            <ul className="flex flex-wrap gap-2">
              {profile.expertise.map((e) => (
                <li key={e}>
                  <Badge tone="info">{e}</Badge>
                </li>
              ))}
            </ul>
          </Section>
        ) : null}
        {profile.skills?.length ? (
          <Section title="Skills">
            <p>{profile.skills.join(", ")}</p>
          </Section>
        ) : null}
        {profile.publications?.length ? (
          <Section title="Publications and links">
            <ul className="list-inside list-disc space-y-1">
              {profile.publications.map((p, i) => (
                <li key={i}>
                  {p.url ? (
                    <a
                      href={p.url}
                      className="text-brand-700 underline"
                      rel="noopener noreferrer nofollow"
                    >
                      {p.title}
                    </a>
                  ) : (
                    p.title
                  )}
                </li>
              ))}
            </ul>
          </Section>
        ) : null}
        {profile.languages?.length ? (
          <Section title="Languages">
            <p>{profile.languages.join(", ")}</p>
          </Section>
        ) : null}
        <p className="text-sm text-slate-700">
          Contact:{" "}
          <a href={`mailto:${profile.email}`} className="text-brand-700 underline">
            {profile.email}
          </a>
        </p>
      </div>
      <aside aria-labelledby="similar">
        <h2 id="similar" className="mb-3 text-lg font-semibold">
          Similar people
        </h2>
        {similar.length ? (
          <ul className="space-y-3">
            {similar.map((s) => (
              <li key={s.userId} className="rounded border border-slate-200 bg-white p-3">
                <Link
                  to={`/directory/${s.userId}`}
                  className="font-semibold text-brand-700 underline"
                >
                  {s.displayName}
                </Link>
                <p className="text-sm text-slate-700">
                  {s.jobTitle} · {s.instituteCode}
                </p>
                <p className="text-sm">Shares: {s.shared.join(", ")}</p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-slate-700">No one with shared expertise yet.</p>
        )}
      </aside>
    </div>
  );
}
