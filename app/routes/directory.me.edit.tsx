import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type * as React from "react";
import { useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import {
  Alert,
  Badge,
  CheckboxField,
  CheckboxGroup,
  ErrorList,
  Field,
  PageHeader,
  SelectField,
  StatusButton,
  TextareaField,
} from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formDataToObject, parseForm } from "~/lib/forms";
import { readFormData, requestInfo } from "~/lib/request.server";
import {
  getProfileForEdit,
  updateProfile,
  type ProfilePreview,
} from "~/modules/directory/profile-edit.server";
import {
  BIO_MAX,
  LOCATION_MAX,
  PROFILE_ARRAY_FIELDS,
  ProfileSchema,
  VISIBILITIES,
} from "~/modules/directory/profile-schema";
import { VISIBILITY_LABELS } from "~/modules/directory/visibility";

export const meta: MetaFunction = () => [{ title: "Edit your profile | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireUser(request);
  return getProfileForEdit(actor);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireUser(request);
  const formData = await readFormData(request);
  // Sent back on error so that, with JavaScript off, nothing typed is lost.
  const values = formDataToObject(formData, PROFILE_ARRAY_FIELDS);
  const parsed = parseForm(formData, ProfileSchema, { arrays: PROFILE_ARRAY_FIELDS });
  if (!parsed.success) return data({ errors: parsed.errors, values }, { status: 400 });
  const result = await updateProfile(actor, parsed.data, requestInfo(request, context));
  if (!result.ok) return data({ errors: result.errors, values }, { status: 400 });
  return redirectWithFlash(`/directory/${actor.id}`, {
    tone: "success",
    message: "Your profile is saved.",
  });
}

const VISIBILITY_OPTIONS = VISIBILITIES.map((v) => ({ value: v, label: VISIBILITY_LABELS[v] }));

type Group =
  "bio" | "expertise" | "skills" | "publications" | "languages" | "location" | "availability";

const GROUP_NAMES: Record<Group, string> = {
  bio: "Bio",
  expertise: "Expertise",
  skills: "Skills",
  publications: "Publications and links",
  languages: "Languages",
  location: "Location",
  availability: "Availability",
};

export default function EditProfile() {
  const { user, profile, areas, retiredOnProfile, previews } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const sent = actionData?.values;
  const text = (name: string, saved: string) => {
    const v = sent?.[name];
    return sent ? (typeof v === "string" ? v : "") : saved;
  };
  const choice = (name: `${Group}Visibility`) =>
    text(name, profile[name]) as typeof profile.bioVisibility;
  // What the fields start with: the saved profile, or what was just sent when it was refused.
  const initial = {
    bio: text("bio", profile.bio),
    bioVisibility: choice("bioVisibility"),
    expertiseIds: sent ? ((sent.expertiseIds as string[] | undefined) ?? []) : profile.expertiseIds,
    expertiseVisibility: choice("expertiseVisibility"),
    skills: text("skills", profile.skills.join(", ")),
    skillsVisibility: choice("skillsVisibility"),
    publications: text("publications", profile.publications),
    publicationsVisibility: choice("publicationsVisibility"),
    languages: text("languages", profile.languages.join(", ")),
    languagesVisibility: choice("languagesVisibility"),
    location: text("location", profile.location),
    locationVisibility: choice("locationVisibility"),
    openToSecondment: sent ? sent.openToSecondment === "on" : profile.openToSecondment,
    openToCollaboration: sent ? sent.openToCollaboration === "on" : profile.openToCollaboration,
    availabilityVisibility: choice("availabilityVisibility"),
  };
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(ProfileSchema, {
    serverErrors: actionData?.errors,
    defaultValues: initial,
  });
  const pending = useIsPending();

  // Rendered on the server too, so each control carries its starting value with JavaScript off.
  function visibilitySelect(group: Group) {
    const name = `${group}Visibility` as const;
    return (
      <SelectField
        label={`Who can see your ${GROUP_NAMES[group].toLowerCase()}`}
        options={VISIBILITY_OPTIONS}
        selectProps={{ ...register(name), defaultValue: initial[name] }}
        errors={errorsFor(name)}
      />
    );
  }

  const expertiseOptions = [
    ...areas.map((a) => ({ value: a.id, label: a.name, hint: a.description || undefined })),
    ...retiredOnProfile.map((a) => ({
      value: a.id,
      label: `${a.name} (no longer offered)`,
      hint: "Stays on your profile while ticked. Once removed, it cannot be chosen again.",
    })),
  ];

  return (
    <>
      <PageHeader
        title="Edit your profile"
        description={
          <>
            Your name, institute and job title are always shown to signed-in users. For everything
            else, you choose who can see it. HR of your institute can see all of it.
          </>
        }
        actions={<Link to={`/directory/${user.id}`}>View your profile</Link>}
      />
      {actionData?.errors ? (
        <div className="mb-6">
          <Alert tone="error" title="Your profile was not saved">
            {formErrors?.length ? (
              <ErrorList errors={formErrors} />
            ) : (
              <p>Check the fields marked below.</p>
            )}
          </Alert>
        </div>
      ) : null}
      <div className="grid gap-10 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Form method="post" noValidate onSubmit={onSubmit} className="space-y-6">
          <FieldGroup group="bio" visibility={visibilitySelect("bio")}>
            <TextareaField
              label="About you"
              hint={`Markdown: **bold**, *italic*, lists and links. Up to ${BIO_MAX} characters.`}
              textareaProps={{ ...register("bio"), defaultValue: initial.bio, rows: 10 }}
              errors={errorsFor("bio")}
            />
          </FieldGroup>
          <FieldGroup group="expertise" visibility={visibilitySelect("expertise")}>
            {expertiseOptions.length > 0 ? (
              <CheckboxGroup
                legend="Areas of expertise"
                name="expertiseIds"
                options={expertiseOptions}
                defaultValue={initial.expertiseIds}
                inputProps={register("expertiseIds")}
                errors={errorsFor("expertiseIds")}
              />
            ) : (
              <p className="text-slate-700">No expertise areas have been set up yet.</p>
            )}
          </FieldGroup>
          <FieldGroup group="skills" visibility={visibilitySelect("skills")}>
            <Field
              label="Skills"
              hint="Separated by commas, like: Python, threat modelling, CBRN. Up to 30."
              inputProps={{ ...register("skills"), defaultValue: initial.skills }}
              errors={errorsFor("skills")}
            />
          </FieldGroup>
          <FieldGroup group="publications" visibility={visibilitySelect("publications")}>
            <TextareaField
              label="Publications and links"
              hint="One per line: a title, then a web address if there is one. Up to 20."
              textareaProps={{
                ...register("publications"),
                defaultValue: initial.publications,
                rows: 6,
              }}
              errors={errorsFor("publications")}
            />
          </FieldGroup>
          <FieldGroup group="languages" visibility={visibilitySelect("languages")}>
            <Field
              label="Languages"
              hint="Separated by commas, like: English, French."
              inputProps={{ ...register("languages"), defaultValue: initial.languages }}
              errors={errorsFor("languages")}
            />
          </FieldGroup>
          <FieldGroup group="location" visibility={visibilitySelect("location")}>
            <Field
              label="Location"
              hint="A city or office, like London or Washington, DC."
              inputProps={{
                ...register("location"),
                defaultValue: initial.location,
                maxLength: LOCATION_MAX,
              }}
              errors={errorsFor("location")}
            />
          </FieldGroup>
          <FieldGroup group="availability" visibility={visibilitySelect("availability")}>
            <fieldset className="space-y-3">
              <legend className="font-semibold text-gray-900">I am open to</legend>
              <CheckboxField
                label="A secondment at a partner institute"
                inputProps={{
                  ...register("openToSecondment"),
                  defaultChecked: initial.openToSecondment,
                }}
                errors={errorsFor("openToSecondment")}
              />
              <CheckboxField
                label="Collaborating on research"
                inputProps={{
                  ...register("openToCollaboration"),
                  defaultChecked: initial.openToCollaboration,
                }}
                errors={errorsFor("openToCollaboration")}
              />
            </fieldset>
          </FieldGroup>
          <div className="flex flex-wrap items-center gap-4">
            <StatusButton type="submit" pending={pending}>
              Save profile
            </StatusButton>
            <Link to={`/directory/${user.id}`}>Cancel</Link>
          </div>
        </Form>

        <section aria-labelledby="preview" className="space-y-6">
          <div>
            <h2 id="preview" className="text-xl font-semibold">
              Preview
            </h2>
            <p className="text-slate-700">Your profile as last saved, as others see it.</p>
          </div>
          <PreviewCard
            id="preview-partners"
            title="As a partner sees it"
            audience="partner institutes"
            user={user}
            preview={previews.partners}
          />
          <PreviewCard
            id="preview-institute"
            title="As your institute sees it"
            audience={`others at ${user.institute.code}`}
            user={user}
            preview={previews.institute}
          />
        </section>
      </div>
    </>
  );
}

function FieldGroup({
  group,
  visibility,
  children,
}: {
  group: Group;
  visibility: React.ReactNode;
  children: React.ReactNode;
}) {
  const headingId = `group-${group}`;
  return (
    <section
      aria-labelledby={headingId}
      className="rounded border border-slate-300 bg-white p-4 shadow-sm"
    >
      <h2 id={headingId} className="mb-3 text-lg font-semibold">
        {GROUP_NAMES[group]}
      </h2>
      <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_14rem]">
        <div className="space-y-4">{children}</div>
        <div className="md:border-l md:border-slate-200 md:pl-4">{visibility}</div>
      </div>
    </section>
  );
}

type PreviewUser = {
  displayName: string;
  jobTitle: string;
  team: string;
  institute: { code: string; name: string };
};

function PreviewCard({
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
  if (preview.bioHtml === null) hidden.push(GROUP_NAMES.bio);
  if (preview.expertise === null) hidden.push(GROUP_NAMES.expertise);
  if (preview.skills === null) hidden.push(GROUP_NAMES.skills);
  if (preview.publications === null) hidden.push(GROUP_NAMES.publications);
  if (preview.languages === null) hidden.push(GROUP_NAMES.languages);
  if (preview.location === null) hidden.push(GROUP_NAMES.location);
  if (preview.availability === null) hidden.push(GROUP_NAMES.availability);
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
