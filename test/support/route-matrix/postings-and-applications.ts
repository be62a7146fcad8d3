// The route matrix's declarations: postings, applications to them and the HR dashboard.
import { APPLICATION_FORM } from "#test/support/pipeline-world";
import {
  applicantFound,
  APPLICATION_PARTIES,
  type Case,
  gate,
  hrOnly,
  ofInstitutes,
  only,
  open,
  postingForm,
  signedIn,
  w,
} from "#test/support/route-matrix/cases";

/** Postings, applications to them and the HR dashboard. */
export const postingAndApplicationRoutes = (): Record<string, Case[]> => ({
  "routes/applications/applications._index": [{ loader: signedIn() }],
  "routes/applications/applications.$applicationId._index": [
    {
      name: "under review",
      params: () => ({ applicationId: w.applicationId }),
      loader: only(APPLICATION_PARTIES),
      // A note: each side writes to its own part; the applicant has none.
      action: {
        form: () => ({ intent: "note", body: "A note from the route matrix." }),
        expect: signedIn((p) =>
          ["lineManager", "ukHr", "usHr", "reviewer"].includes(p.key)
            ? `to:/applications/${w.applicationId}`
            : p.key === "applicant"
              ? "403"
              : "404",
        ),
      },
    },
    {
      name: "draft",
      params: () => ({ applicationId: w.draftApplicationId }),
      // A draft is its applicant's alone: not even their line manager or HR know of it.
      loader: only(["ukStaff"]),
    },
  ],
  "routes/applications/applications.$applicationId.cv": [
    { params: () => ({ applicationId: w.applicationId }), loader: only(APPLICATION_PARTIES) },
  ],
  "routes/applications/applications.$applicationId.edit": [
    {
      name: "draft",
      params: () => ({ applicationId: w.draftApplicationId }),
      loader: only(["ukStaff"]),
      // Its applicant saves it as it is (the statement stays); nobody else may know it.
      action: {
        form: () => ({
          statement: "Axolotl: a first draft.",
          availableFrom: "",
          availableUntil: "",
          declaredClearance: "BASELINE",
          intent: "save",
          version: "1",
        }),
        expect: only(["ukStaff"], `to:/applications/*`),
      },
    },
    {
      name: "submitted",
      params: () => ({ applicationId: w.applicationId }),
      // Submitted: its applicant is sent to its page; nobody else may know it.
      loader: only(["applicant"], "to:/applications/*"),
      action: {
        form: () => ({
          statement: "Rewritten by the matrix.",
          availableFrom: APPLICATION_FORM.availableFrom,
          availableUntil: APPLICATION_FORM.availableUntil,
          declaredClearance: "SECURITY_CHECK",
          intent: "save",
          version: "0",
        }),
        // The applicant may not change a submitted application; its other parties know it exists.
        expect: signedIn((p) =>
          p.key === "applicant" ? "400" : APPLICATION_PARTIES.includes(p.key) ? "403" : "404",
        ),
      },
    },
  ],
  "routes/dashboard": [{ loader: hrOnly() }],
  "routes/postings/postings._index": [{ loader: signedIn() }],
  "routes/postings/postings.manage": [{ loader: hrOnly() }],
  "routes/postings/postings.new": [
    {
      loader: hrOnly(),
      action: { form: postingForm, expect: hrOnly("to:/postings/*") },
    },
  ],
  "routes/postings/postings.$postingId._index": [
    {
      name: "open US posting",
      params: () => ({ postingId: w.reviewPostingId }),
      loader: ofInstitutes(["US", "UK"]),
      // Closing it from a stale version: its HR are told it changed; nobody else may try.
      action: {
        form: () => ({ to: "CLOSED", version: "99" }),
        expect: only(["usHr"], "409"),
      },
    },
    {
      name: "US draft",
      params: () => ({ postingId: w.draftPostingId }),
      loader: only(["usHr"]),
      // It asks for the applicant's (private) expertise: they are not a suggestion to the host.
      forbid: () => applicantFound("as a suggested person, by a private expertise"),
      // ...while UK staff who share it openly are.
      mustShow: (p) =>
        p.key === "usHr"
          ? [{ what: "Ursula, a suggested person", text: w.personas.ukStaff.actor!.id }]
          : [],
    },
    {
      name: "open UK posting (JP eligible)",
      params: () => ({ postingId: w.ukPostingId }),
      loader: ofInstitutes(["UK", "JP"]),
    },
  ],
  "routes/postings/postings.$postingId.apply": [
    {
      name: "open US posting",
      params: () => ({ postingId: w.reviewPostingId }),
      loader: open("404"),
      // UK staff start (or find) their draft; the host's own staff are sent back with a message;
      // JP staff may not know the posting.
      action: {
        form: () => ({}),
        expect: signedIn((p) =>
          p.institute === "UK"
            ? "to:/applications/*"
            : p.institute === "US"
              ? `to:/postings/${w.reviewPostingId}`
              : "404",
        ),
        writes: (p) => p.institute === "UK" && gate(p) === null,
      },
    },
    {
      // The other way across: JP staff may apply to the UK posting, US staff may not know it.
      name: "open UK posting",
      params: () => ({ postingId: w.ukPostingId }),
      action: {
        form: () => ({}),
        expect: signedIn((p) =>
          p.institute === "JP"
            ? "to:/applications/*"
            : p.institute === "UK"
              ? `to:/postings/${w.ukPostingId}`
              : "404",
        ),
        writes: (p) => p.institute === "JP" && gate(p) === null,
      },
    },
  ],
  "routes/postings/postings.$postingId.edit": [
    {
      params: () => ({ postingId: w.reviewPostingId }),
      loader: only(["usHr"]),
      // From a stale version: the host HR are told it changed, and nothing is saved.
      action: {
        form: (p) => ({ ...postingForm(p), version: "99" }),
        expect: only(["usHr"], "409"),
      },
    },
  ],
  "routes/postings/postings.$postingId.export": [
    { params: () => ({ postingId: w.reviewPostingId }), loader: only(["usHr"]) },
  ],
  "routes/postings/postings.$postingId.pipeline": [
    { params: () => ({ postingId: w.reviewPostingId }), loader: only(["usHr"]) },
  ],
});
