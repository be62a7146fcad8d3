import type { ProfilePreview } from "../profile-edit.server";
import { ProfilePreviewCard, type PreviewUser } from "./profile-preview-card";

/** Beside the profile form: the saved profile as a partner and as one's own institute see it. */
export function ProfilePreviews({
  user,
  previews,
}: {
  user: PreviewUser;
  previews: { partners: ProfilePreview; institute: ProfilePreview };
}) {
  return (
    <section aria-labelledby="preview" className="space-y-6">
      <div>
        <h2 id="preview" className="text-xl font-semibold">
          Preview
        </h2>
        <p className="text-slate-700">Your profile as last saved, as others see it.</p>
      </div>
      <ProfilePreviewCard
        id="preview-partners"
        title="As a partner sees it"
        audience="partner institutes"
        user={user}
        preview={previews.partners}
      />
      <ProfilePreviewCard
        id="preview-institute"
        title="As your institute sees it"
        audience={`others at ${user.institute.code}`}
        user={user}
        preview={previews.institute}
      />
    </section>
  );
}
