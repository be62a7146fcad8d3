import type { Prisma } from "~/generated/prisma/client";
import type { Visibility } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import { renderMarkdown } from "~/lib/markdown.server";
import type { Actor } from "~/lib/permissions";
import { refused, type RequestInfo, type ServiceResult } from "~/lib/service";
import { recordAudit } from "~/modules/audit/audit.server";
import { parsePublication, type ProfileInput } from "./profile-schema";
import { canSee, type Tier } from "./visibility";

/** What a new profile starts with: shared with partners, except where the person is. */
export const DEFAULT_PROFILE_VISIBILITY = {
  bioVisibility: "PARTNERS",
  expertiseVisibility: "PARTNERS",
  skillsVisibility: "PARTNERS",
  publicationsVisibility: "PARTNERS",
  languagesVisibility: "PARTNERS",
  locationVisibility: "INSTITUTE",
  availabilityVisibility: "PARTNERS",
} as const satisfies Record<string, Visibility>;

// Never the search columns: the Profile trigger maintains them.
export const PROFILE_SELECT = {
  userId: true,
  bio: true,
  bioVisibility: true,
  expertiseIds: true,
  expertiseLabels: true,
  expertiseVisibility: true,
  skills: true,
  skillsVisibility: true,
  publications: true,
  publicationsVisibility: true,
  languages: true,
  languagesVisibility: true,
  location: true,
  locationVisibility: true,
  openToSecondment: true,
  openToCollaboration: true,
  availabilityVisibility: true,
  updatedAt: true,
} satisfies Prisma.ProfileSelect;

export type EditableProfile = Prisma.ProfileGetPayload<{ select: typeof PROFILE_SELECT }>;

/** The signed-in person's own profile for the edit page, created with the defaults if missing. */
export async function getProfileForEdit(actor: Actor) {
  let profile = await db.profile.findUnique({
    where: { userId: actor.id },
    select: PROFILE_SELECT,
  });
  if (!profile) {
    // ON CONFLICT DO NOTHING: two first visits at once create one profile.
    await db.profile.createMany({
      data: [{ userId: actor.id, ...DEFAULT_PROFILE_VISIBILITY }],
      skipDuplicates: true,
    });
    profile = await db.profile.findUniqueOrThrow({
      where: { userId: actor.id },
      select: PROFILE_SELECT,
    });
  }
  const [areas, user] = await Promise.all([
    offeredAreas(),
    db.user.findUniqueOrThrow({
      where: { id: actor.id },
      select: {
        id: true,
        displayName: true,
        jobTitle: true,
        team: true,
        institute: { select: { code: true, name: true } },
      },
    }),
  ]);
  const offered = new Set(areas.map((a) => a.id));
  // Areas retired since the person chose them: still on the profile, offered only to them.
  const retiredOnProfile = profile.expertiseIds
    .map((id, i) => ({ id, name: profile.expertiseLabels[i] ?? "" }))
    .filter((a) => !offered.has(a.id));
  return {
    user,
    profile,
    areas,
    retiredOnProfile,
    previews: { partners: visibleProfile(profile, 1), institute: visibleProfile(profile, 2) },
  };
}

/** The areas a person may choose on their profile. */
export function offeredAreas() {
  return db.expertiseArea.findMany({
    where: { retiredAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, description: true },
  });
}

export type ProfilePreview = ReturnType<typeof visibleProfile>;

/** The profile as a viewer of the given tier sees it; null marks a field hidden from them. */
export function visibleProfile(profile: EditableProfile, tier: Tier) {
  const show = <T>(visibility: Visibility, value: T): T | null =>
    canSee(tier, visibility) ? value : null;
  return {
    bioHtml: show(profile.bioVisibility, profile.bio ? renderMarkdown(profile.bio) : ""),
    expertise: show(profile.expertiseVisibility, profile.expertiseLabels),
    skills: show(profile.skillsVisibility, profile.skills),
    publications: show(
      profile.publicationsVisibility,
      profile.publications
        .split("\n")
        .filter((line) => line.trim())
        .map(parsePublication),
    ),
    languages: show(profile.languagesVisibility, profile.languages),
    location: show(profile.locationVisibility, profile.location),
    availability: show(profile.availabilityVisibility, {
      openToSecondment: profile.openToSecondment,
      openToCollaboration: profile.openToCollaboration,
    }),
  };
}

const CHOOSE_AREAS = "Choose expertise areas from the list";

/**
 * Saves the person's own profile. Each area must be offered (not retired), except one already on
 * the profile, which may stay under the name it had. Areas are stored with their current names.
 */
export async function updateProfile(
  actor: Actor,
  input: ProfileInput,
  req: RequestInfo,
): Promise<ServiceResult> {
  return db.$transaction(async (tx): Promise<ServiceResult> => {
    const current = await tx.profile.findUnique({
      where: { userId: actor.id },
      select: PROFILE_SELECT,
    });
    const areas = input.expertiseIds.length
      ? await tx.expertiseArea.findMany({
          where: { id: { in: input.expertiseIds } },
          select: { id: true, name: true, retiredAt: true },
        })
      : [];
    const byId = new Map(areas.map((a) => [a.id, a]));
    const expertiseLabels: string[] = [];
    for (const id of input.expertiseIds) {
      const area = byId.get(id);
      if (area && !area.retiredAt) {
        expertiseLabels.push(area.name);
        continue;
      }
      const at = current?.expertiseIds.indexOf(id) ?? -1;
      if (current && at >= 0) {
        expertiseLabels.push(current.expertiseLabels[at] ?? area?.name ?? "");
        continue;
      }
      const message = area
        ? `“${area.name}” is no longer offered. ${CHOOSE_AREAS}.`
        : `${CHOOSE_AREAS}.`;
      return refused(message, "expertiseIds");
    }
    const data = {
      bio: input.bio,
      bioVisibility: input.bioVisibility,
      expertiseIds: input.expertiseIds,
      expertiseLabels,
      expertiseVisibility: input.expertiseVisibility,
      skills: input.skills,
      skillsVisibility: input.skillsVisibility,
      publications: input.publications,
      publicationsVisibility: input.publicationsVisibility,
      languages: input.languages,
      languagesVisibility: input.languagesVisibility,
      location: input.location,
      locationVisibility: input.locationVisibility,
      openToSecondment: input.openToSecondment,
      openToCollaboration: input.openToCollaboration,
      availabilityVisibility: input.availabilityVisibility,
    } satisfies Prisma.ProfileUncheckedUpdateInput;
    await tx.profile.upsert({
      where: { userId: actor.id },
      create: { userId: actor.id, ...data },
      update: data,
    });
    const changed = (Object.keys(data) as (keyof typeof data)[]).filter(
      (key) => !current || JSON.stringify(current[key]) !== JSON.stringify(data[key]),
    );
    // The audit log is append-only, so it names what changed, never the personal content itself.
    await recordAudit(tx, {
      actor,
      action: "profile.updated",
      targetType: "Profile",
      targetId: actor.id,
      ipAddress: req.ipAddress,
      details: {
        created: !current,
        changed,
        visibility: {
          bio: data.bioVisibility,
          expertise: data.expertiseVisibility,
          skills: data.skillsVisibility,
          publications: data.publicationsVisibility,
          languages: data.languagesVisibility,
          location: data.locationVisibility,
          availability: data.availabilityVisibility,
        },
      },
    });
    return { ok: true };
  });
}
