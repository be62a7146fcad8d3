import type { Prisma, PrismaClient } from "~/generated/prisma/client";
import type { Visibility } from "~/generated/prisma/enums";
import { ensureUser, type UserSpec } from "./index";
import { loadTaxonomy, type Taxonomy } from "./taxonomy";

// Directory profiles for the seed and the tests: what a profile holds and an idempotent upsert of a
// person with their profile. Generated people: people-generator.ts.

type Db = PrismaClient | Prisma.TransactionClient;

export type Publication = { title: string; url?: string };

/** A profile as a person would fill it in; expertise is given by area name. */
export type ProfileSpec = {
  bio?: string;
  bioVisibility?: Visibility;
  expertise?: readonly string[];
  expertiseVisibility?: Visibility;
  skills?: readonly string[];
  skillsVisibility?: Visibility;
  /** Structured, or already in the stored form (one per line: title, optionally then a URL). */
  publications?: readonly Publication[] | string;
  publicationsVisibility?: Visibility;
  languages?: readonly string[];
  languagesVisibility?: Visibility;
  location?: string;
  locationVisibility?: Visibility;
  openToSecondment?: boolean;
  openToCollaboration?: boolean;
  availabilityVisibility?: Visibility;
};

/** The stored form of a publications list: one per line, the title then the URL if there is one. */
export function formatPublications(publications: readonly Publication[] | string | undefined) {
  if (publications === undefined) return "";
  if (typeof publications === "string") return publications;
  return publications.map((p) => (p.url ? `${p.title} ${p.url}` : p.title)).join("\n");
}

/**
 * The Profile columns for a spec (everything but userId). Unset fields get the schema's defaults, so
 * an update brings a profile fully to the spec. Expertise names become ids + labels, index for index.
 */
export function profileData(spec: ProfileSpec, taxonomy: Taxonomy) {
  const expertiseLabels = [...new Set(spec.expertise ?? [])];
  const expertiseIds = expertiseLabels.map((name) => {
    const id = taxonomy.get(name);
    if (!id) throw new Error(`Unknown expertise area "${name}": add it to the taxonomy first.`);
    return id;
  });
  return {
    bio: spec.bio ?? "",
    bioVisibility: spec.bioVisibility ?? "PARTNERS",
    expertiseIds,
    expertiseLabels,
    expertiseVisibility: spec.expertiseVisibility ?? "PARTNERS",
    skills: [...(spec.skills ?? [])],
    skillsVisibility: spec.skillsVisibility ?? "PARTNERS",
    publications: formatPublications(spec.publications),
    publicationsVisibility: spec.publicationsVisibility ?? "PARTNERS",
    languages: [...(spec.languages ?? [])],
    languagesVisibility: spec.languagesVisibility ?? "PARTNERS",
    location: spec.location ?? "",
    locationVisibility: spec.locationVisibility ?? "INSTITUTE",
    openToSecondment: spec.openToSecondment ?? false,
    openToCollaboration: spec.openToCollaboration ?? false,
    availabilityVisibility: spec.availabilityVisibility ?? "PARTNERS",
  } satisfies Omit<Prisma.ProfileUncheckedCreateInput, "userId">;
}

/** Creates the user's profile, or brings it to the spec (idempotent). */
export async function ensureProfile(
  db: Db,
  userId: string,
  spec: ProfileSpec,
  taxonomy?: Taxonomy,
) {
  const data = profileData(spec, taxonomy ?? (await loadTaxonomy(db)));
  return db.profile.upsert({
    where: { userId },
    create: { userId, ...data },
    update: data,
  });
}

export type PersonSpec = UserSpec & {
  /** A ready argon2 hash, so that many people can share one expensive hashing of the same password. */
  passwordHash?: string;
  profile?: ProfileSpec;
};

/** ensureUser, plus a pre-hashed password and a profile (idempotent). */
export async function ensurePerson(db: PrismaClient, spec: PersonSpec, taxonomy?: Taxonomy) {
  const { passwordHash, profile, ...userSpec } = spec;
  const user = await ensureUser(db, userSpec);
  if (passwordHash && !userSpec.password) {
    await db.password.upsert({
      where: { userId: user.id },
      create: { userId: user.id, hash: passwordHash },
      update: { hash: passwordHash },
    });
  }
  if (profile) await ensureProfile(db, user.id, profile, taxonomy);
  return user;
}
