import { Link } from "@remix-run/react";
import { Form } from "~/components/form";
import { useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import {
  CheckboxField,
  CheckboxGroup,
  Field,
  SelectField,
  StatusButton,
  TextareaField,
} from "~/components/ui";
import type { FieldErrors } from "~/lib/forms";
import type { EditableProfile } from "../profile-edit.server";
import { BIO_MAX, LOCATION_MAX, ProfileSchema, VISIBILITIES } from "../profile-schema";
import { VISIBILITY_LABELS } from "../visibility";
import { ProfileFieldGroup } from "./profile-field-group";
import { PROFILE_GROUP_NAMES, type ProfileGroup } from "./profile-groups";

const VISIBILITY_OPTIONS = VISIBILITIES.map((v) => ({ value: v, label: VISIBILITY_LABELS[v] }));

type SavedProfile = Omit<EditableProfile, "userId" | "expertiseLabels" | "updatedAt">;

/**
 * The form that edits one's own profile, group by group, each with who can see it. The action
 * parses it with the same ProfileSchema.
 */
export function ProfileEditForm({
  profile,
  areas,
  retiredOnProfile,
  sent,
  serverErrors,
  cancelTo,
}: {
  profile: SavedProfile;
  /** The areas on offer. */
  areas: { id: string; name: string; description: string }[];
  /** Areas on the profile that are no longer offered: kept while ticked. */
  retiredOnProfile: { id: string; name: string }[];
  /** What was just sent, when the action refused it. */
  sent: Record<string, string | string[]> | undefined;
  serverErrors: FieldErrors | undefined;
  cancelTo: string;
}) {
  const text = (name: string, saved: string) => {
    const v = sent?.[name];
    return sent ? (typeof v === "string" ? v : "") : saved;
  };
  const choice = (name: `${ProfileGroup}Visibility`) =>
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
  const { register, onSubmit, errorsFor } = useZodForm(ProfileSchema, {
    serverErrors,
    defaultValues: initial,
  });
  const pending = useIsPending();

  // Rendered on the server too, so each control carries its starting value with JavaScript off.
  function visibilitySelect(group: ProfileGroup) {
    const name = `${group}Visibility` as const;
    return (
      <SelectField
        label={`Who can see your ${PROFILE_GROUP_NAMES[group].toLowerCase()}`}
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
    <Form method="post" noValidate onSubmit={onSubmit} className="space-y-6">
      <ProfileFieldGroup group="bio" visibility={visibilitySelect("bio")}>
        <TextareaField
          label="About you"
          hint={`Markdown: **bold**, *italic*, lists and links. Up to ${BIO_MAX} characters.`}
          textareaProps={{ ...register("bio"), defaultValue: initial.bio, rows: 10 }}
          errors={errorsFor("bio")}
        />
      </ProfileFieldGroup>
      <ProfileFieldGroup group="expertise" visibility={visibilitySelect("expertise")}>
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
      </ProfileFieldGroup>
      <ProfileFieldGroup group="skills" visibility={visibilitySelect("skills")}>
        <Field
          label="Skills"
          hint="Separated by commas, like: Python, threat modelling, CBRN. Up to 30."
          inputProps={{ ...register("skills"), defaultValue: initial.skills }}
          errors={errorsFor("skills")}
        />
      </ProfileFieldGroup>
      <ProfileFieldGroup group="publications" visibility={visibilitySelect("publications")}>
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
      </ProfileFieldGroup>
      <ProfileFieldGroup group="languages" visibility={visibilitySelect("languages")}>
        <Field
          label="Languages"
          hint="Separated by commas, like: English, French."
          inputProps={{ ...register("languages"), defaultValue: initial.languages }}
          errors={errorsFor("languages")}
        />
      </ProfileFieldGroup>
      <ProfileFieldGroup group="location" visibility={visibilitySelect("location")}>
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
      </ProfileFieldGroup>
      <ProfileFieldGroup group="availability" visibility={visibilitySelect("availability")}>
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
      </ProfileFieldGroup>
      <div className="flex flex-wrap items-center gap-4">
        <StatusButton type="submit" pending={pending}>
          Save profile
        </StatusButton>
        <Link to={cancelTo}>Cancel</Link>
      </div>
    </Form>
  );
}
