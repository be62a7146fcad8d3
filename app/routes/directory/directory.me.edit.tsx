import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PageHeader } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formDataToObject, parseForm } from "~/lib/forms";
import { readFormData, requestInfo } from "~/lib/request.server";
import { ProfileEditForm } from "~/modules/directory/components/profile-edit-form";
import { ProfileNotSavedAlert } from "~/modules/directory/components/profile-not-saved-alert";
import { ProfilePreviews } from "~/modules/directory/components/profile-previews";
import { getProfileForEdit, updateProfile } from "~/modules/directory/profile-edit.server";
import { PROFILE_ARRAY_FIELDS, ProfileSchema } from "~/modules/directory/profile-schema";

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

export default function EditProfile() {
  const { user, profile, areas, retiredOnProfile, previews } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
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
      <ProfileNotSavedAlert errors={actionData?.errors} />
      <div className="grid gap-10 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <ProfileEditForm
          profile={profile}
          areas={areas}
          retiredOnProfile={retiredOnProfile}
          sent={actionData?.values}
          serverErrors={actionData?.errors}
          cancelTo={`/directory/${user.id}`}
        />
        <ProfilePreviews user={user} previews={previews} />
      </div>
    </>
  );
}
