import { Badge } from "~/components/ui";
import type { ProfilePreview } from "../profile-edit.server";
import { PROFILE_GROUP_NAMES } from "./profile-groups";

export type PreviewUser = {
  displayName: string;
  jobTitle: string;
  team: string;
  institute: { code: string; name: string };
};

/** The saved profile as one audience sees it, and what it does not show them. */
export function ProfilePreviewCard({
  id,
  title,
  audience,
  user,
  preview,
}: {
  id: string;
  title: string;
  audience: string;
  user: PreviewUser;
  preview: ProfilePreview;
}) {
  const hidden: string[] = [];
  if (preview.bioHtml === null) hidden.push(PROFILE_GROUP_NAMES.bio);
  if (preview.expertise === null) hidden.push(PROFILE_GROUP_NAMES.expertise);
  if (preview.skills === null) hidden.push(PROFILE_GROUP_NAMES.skills);
  if (preview.publications === null) hidden.push(PROFILE_GROUP_NAMES.publications);
  if (preview.languages === null) hidden.push(PROFILE_GROUP_NAMES.languages);
  if (preview.location === null) hidden.push(PROFILE_GROUP_NAMES.location);
  if (preview.availability === null) hidden.push(PROFILE_GROUP_NAMES.availability);
  const available = preview.availability;
  return (
    <section aria-labelledby={id} className="rounded border-2 border-slate-300 bg-white p-4">
      <h3 id={id} className="text-lg font-semibold">
        {title}
      </h3>
      <div className="mt-3 space-y-3 border-t border-slate-200 pt-3">
        <div>
          <p className="font-semibold">{user.displayName}</p>
          <p className="text-sm text-slate-700">
            {[user.jobTitle, user.team, user.institute.name].filter(Boolean).join(" · ")}
          </p>
        </div>
        {available && (available.openToSecondment || available.openToCollaboration) ? (
          <p className="flex flex-wrap gap-2">
            {available.openToSecondment ? <Badge tone="success">Open to secondment</Badge> : null}
            {available.openToCollaboration ? (
              <Badge tone="success">Open to collaboration</Badge>
            ) : null}
          </p>
        ) : null}
        {preview.location ? <p>{preview.location}</p> : null}
        {preview.expertise?.length ? (
          <PreviewList label="Expertise" items={preview.expertise} />
        ) : null}
        {preview.bioHtml ? (
          <div
            className="space-y-2 [&_a]:underline [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold [&_ol]:list-decimal [&_ol]:pl-6 [&_ul]:list-disc [&_ul]:pl-6"
            // Rendered by renderMarkdown on the server, which escapes raw HTML and unsafe links.
            dangerouslySetInnerHTML={{ __html: preview.bioHtml }}
          />
        ) : null}
        {preview.skills?.length ? <PreviewList label="Skills" items={preview.skills} /> : null}
        {preview.languages?.length ? (
          <PreviewList label="Languages" items={preview.languages} />
        ) : null}
        {preview.publications?.length ? (
          <div>
            <p className="font-semibold">Publications and links</p>
            <ul className="list-disc space-y-1 pl-6">
              {preview.publications.map((p, i) => (
                <li key={i}>
                  {p.url ? (
                    <a href={p.url} rel="noopener noreferrer nofollow">
                      {p.title}
                    </a>
                  ) : (
                    p.title
                  )}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <p className="text-sm text-slate-700">
          {hidden.length
            ? `Not shown to ${audience}: ${hidden.join(", ")}.`
            : `Everything you have filled in is shown to ${audience}.`}
        </p>
      </div>
    </section>
  );
}

function PreviewList({ label, items }: { label: string; items: readonly string[] }) {
  return (
    <div>
      <p className="font-semibold">{label}</p>
      <ul className="mt-1 flex flex-wrap gap-2">
        {items.map((item) => (
          <li key={item}>
            <Badge>{item}</Badge>
          </li>
        ))}
      </ul>
    </div>
  );
}
