/** The profile's field groups, each with its own visibility, in the order the form shows them. */
export type ProfileGroup =
  "bio" | "expertise" | "skills" | "publications" | "languages" | "location" | "availability";

/** A group's heading on the edit form, and its name in the previews' "not shown" line. */
export const PROFILE_GROUP_NAMES: Record<ProfileGroup, string> = {
  bio: "Bio",
  expertise: "Expertise",
  skills: "Skills",
  publications: "Publications and links",
  languages: "Languages",
  location: "Location",
  availability: "Availability",
};
