// The route matrix's declarations: the people directory.
import { applicantFound, type Case, gate, signedIn, w } from "#test/support/route-matrix/cases";

/** The people directory. */
export const directoryRoutes = (): Record<string, Case[]> => ({
  "routes/directory/directory._index": [
    {
      // A word of the applicant's institute-only skill ("Narwhal tooling"): outside the UK it must
      // neither show nor find them.
      query: "?q=tooling",
      loader: signedIn(),
      forbid: (p) => (p.institute === "UK" ? [] : applicantFound("by a hidden field")),
      mustShow: (p) =>
        p.institute === "UK" && !gate(p) ? applicantFound("by their skill, in the UK") : [],
    },
    {
      // The applicant's expertise is private: filtering by it finds them for them and their HR only.
      name: "expertise facet",
      query: `?expertise=${w.areaId}`,
      loader: signedIn(),
      forbid: (p) =>
        ["applicant", "ukHr"].includes(p.key) ? [] : applicantFound("by a private expertise"),
      mustShow: (p) =>
        ["applicant", "ukHr"].includes(p.key) ? applicantFound("by their expertise") : [],
    },
  ],
  "routes/directory/directory.$userId": [
    { params: () => ({ userId: w.personas.applicant.actor!.id }), loader: signedIn() },
    { name: "me", params: () => ({ userId: "me" }), loader: signedIn() },
    {
      name: "US staff (similar people)",
      params: () => ({ userId: w.personas.usStaff.actor!.id }),
      loader: signedIn(),
      forbid: (p) => (p.institute === "UK" ? [] : applicantFound("as similar, by hidden fields")),
      // ...while their own institute is shown the shared skill.
      mustShow: (p) =>
        p.institute === "UK" && p.key !== "applicant" && !gate(p)
          ? applicantFound("as similar (shares a skill)")
          : [],
    },
  ],
  "routes/directory/directory.me.edit": [
    {
      loader: signedIn(),
      // Saving one's own profile is everyone's right; a bad visibility keeps the profiles as planted.
      action: {
        form: () => ({ bio: "Changed.", bioVisibility: "EVERYONE" }),
        expect: signedIn("400"),
      },
    },
  ],
});
