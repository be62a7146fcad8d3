import path from "node:path";
import type { RouteConfigEntry } from "@remix-run/route-config";
import { ensureChecklistTemplate, US_HOST_CHECKLIST } from "#test/factories/checklists";
import {
  ensureInstitute,
  ensureUser,
  issueOneTimeToken,
  UK_AISI,
  uniqueEmail,
  US_AISI,
} from "#test/factories";
import { ensureProfile } from "#test/factories/profiles";
import { pdfBytes, postingInput } from "#test/factories/postings";
import { dayAfter } from "#test/support/clock";
import type { WorkspaceRole } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import type { Actor } from "~/lib/permissions";
import { must, toActor } from "#test/factories/results";
import { createSession, sessionCookieName } from "~/lib/session.server";
import { generateToken } from "~/lib/tokens.server";
import { saveApplication, startApplication } from "~/modules/applications/drafts.server";
import { addNote } from "~/modules/applications/notes.server";
import { transitionApplication } from "~/modules/applications/pipeline.server";
import { assignReviewer, declareConflict, saveReview } from "~/modules/applications/reviews.server";
import type { ApplicationStatus } from "~/modules/applications/workflow";
import { uploadEvidence } from "~/modules/checklists/evidence.server";
import { moveChecklistItem } from "~/modules/checklists/items.server";
import { createPosting, movePosting } from "~/modules/postings/postings.server";
import { addComment, createThread } from "~/modules/workspaces/discussion.server";
import { createPage, savePage } from "~/modules/workspaces/pages.server";
import { createTask } from "~/modules/workspaces/tasks.server";
import { registerFindings } from "~/modules/workspaces/registrations.server";
import { uploadFile } from "~/modules/workspaces/files.server";
import { answerInvitation, inviteMember } from "~/modules/workspaces/members.server";
import { createWorkspace } from "~/modules/workspaces/workspaces.server";
import {
  APPLICATION_FORM,
  BEFORE_DEADLINE,
  JP_AISI,
  POSTED_AT,
} from "#test/support/pipeline-world";

// The world of the route-complete authorisation matrix (route-matrix.test.ts): one record of every
// kind, so that every parameter of every route can be filled, and one real person (with a real
// session cookie) per persona. Every private record carries a codeword; `secrets` says which
// personas may ever see each one.

// --- the routes, from Remix's own route config --------------------------------------------------

export const APP_DIR = path.resolve(new URL("../../../app", import.meta.url).pathname);

export type ManifestRoute = {
  id: string;
  /** Relative to app/, as Remix names it (routes/... or root.tsx). */
  file: string;
  /** The full URL pattern, params as :name, without the leading slash ("" for / and the root). */
  pattern: string;
};

/**
 * Every route of the app, as `app/routes.ts` (flatRoutes) gives them to Remix, plus the root route
 * that Remix always adds for app/root.tsx.
 */
export async function manifestRoutes(): Promise<ManifestRoute[]> {
  // What @remix-run/dev sets before it evaluates routes.ts; flatRoutes reads the app directory here.
  (globalThis as { __remixAppDirectory?: string }).__remixAppDirectory = APP_DIR;
  const config = (await import("~/routes.ts")).default;
  const entries = await config;
  const out: ManifestRoute[] = [{ id: "root", file: "root.tsx", pattern: "" }];
  const walk = (list: RouteConfigEntry[], parent: string) => {
    for (const e of list) {
      const pattern = [parent, e.path ?? ""].filter(Boolean).join("/");
      out.push({ id: e.id ?? e.file.replace(/\.[jt]sx?$/, ""), file: e.file, pattern });
      walk(e.children ?? [], pattern);
    }
  };
  walk(entries, "");
  return out;
}

// --- personas -----------------------------------------------------------------------------------

export const LABELS = ["JOINT", "US-ONLY", "UK-ONLY"] as const;
export type Label = (typeof LABELS)[number];

export const PERSONA_KEYS = [
  "anon",
  "pendingMfa",
  "usStaff",
  "ukStaff",
  "jpStaff",
  "applicant",
  "lineManager",
  "reviewer",
  "usHr",
  "ukHr",
  "jpHr",
  "jointOwner",
  "jointEditor",
  "jointViewer",
  "usOwner",
  "usEditor",
  "usViewer",
  "ukOwner",
  "ukEditor",
  "ukViewer",
  "admin",
] as const;
export type PersonaKey = (typeof PERSONA_KEYS)[number];

export type Institute = "US" | "UK" | "JP";

export type Persona = {
  key: PersonaKey;
  /** Null for the anonymous visitor. */
  actor: Actor | null;
  institute: Institute | null;
  /** The Cookie header ("" for the anonymous visitor). */
  cookie: string;
  /** Each persona calls from an address of its own, so throttles keyed by address stay apart. */
  address: string;
  /** The workspace this persona is a member of, and as what. */
  membership: { label: Label; role: WorkspaceRole } | null;
  /** Whether the session has done its second factor (false only for pendingMfa). */
  mfaVerified: boolean;
  /** The user agent its sessions are made with: shown on its own account page, nowhere else. */
  userAgent: string;
};

export const WS_ROLE_OF: Partial<Record<PersonaKey, { label: Label; role: WorkspaceRole }>> = {
  jointOwner: { label: "JOINT", role: "OWNER" },
  jointEditor: { label: "JOINT", role: "EDITOR" },
  jointViewer: { label: "JOINT", role: "VIEWER" },
  usOwner: { label: "US-ONLY", role: "OWNER" },
  usEditor: { label: "US-ONLY", role: "EDITOR" },
  usViewer: { label: "US-ONLY", role: "VIEWER" },
  ukOwner: { label: "UK-ONLY", role: "OWNER" },
  ukEditor: { label: "UK-ONLY", role: "EDITOR" },
  ukViewer: { label: "UK-ONLY", role: "VIEWER" },
};

// --- secrets ------------------------------------------------------------------------------------

/** A string planted in one private record, and who may ever see it. */
export type Secret = {
  name: string;
  word: string;
  what: string;
  allowed: Set<PersonaKey>;
  /**
   * Finds the word, case-insensitively, but not inside a longer run of letters and digits: a
   * short codeword such as "Lynx" can turn up by chance inside a random id or token.
   */
  pattern: RegExp;
};

// --- the world ----------------------------------------------------------------------------------

export type WorkspaceRecords = {
  label: Label;
  codeword: string;
  workspaceId: string;
  pageId: string;
  fileId: string;
  threadId: string;
  taskId: string;
  registrationId: string;
  /** A user of an institute the label admits, not yet invited: what the owner may invite. */
  candidateEmail: string;
};

export type MatrixWorld = Awaited<ReturnType<typeof createMatrixWorld>>;

export async function createMatrixWorld() {
  const us = await ensureInstitute(db, US_AISI);
  const uk = await ensureInstitute(db, UK_AISI);
  const jp = await ensureInstitute(db, JP_AISI);
  const instituteIds: Record<Institute, string> = { US: us.id, UK: uk.id, JP: jp.id };

  const person = async (
    institute: Institute,
    name: string,
    extra: { roles?: ("HR" | "ADMIN")[]; lineManagerId?: string; password?: string } = {},
  ) =>
    toActor(
      await ensureUser(db, {
        email: uniqueEmail(name.toLowerCase().replace(/\W+/g, ".")),
        displayName: name,
        instituteId: instituteIds[institute],
        // HR and admins must have MFA to use any page (see requireUser).
        mfaKey: extra.roles?.length ? true : undefined,
        ...extra,
      }),
    );

  // People. Everyone but the workspace members is created here; those come with their workspace.
  const lineManager = await person("UK", "Mona Manager");
  const actors: Partial<Record<PersonaKey, Actor>> = {
    pendingMfa: await person("US", "Penny Pending", { roles: ["HR"] }),
    usStaff: await person("US", "Ulysses Staff"),
    // The line manager's other report: their draft is theirs alone, even from the manager.
    ukStaff: await person("UK", "Ursula Staff", { lineManagerId: lineManager.id }),
    jpStaff: await person("JP", "Jun Staff"),
    // The one persona with a password: its hash must never appear in any answer.
    applicant: await person("UK", "Amir Applicant", {
      lineManagerId: lineManager.id,
      password: "a perfectly long test password",
    }),
    lineManager,
    reviewer: await person("US", "Rita Reviewer"),
    usHr: await person("US", "Hana Host", { roles: ["HR"] }),
    ukHr: await person("UK", "Harriet Home", { roles: ["HR"] }),
    jpHr: await person("JP", "Junko Hr", { roles: ["HR"] }),
    admin: await person("US", "Ada Admin", { roles: ["ADMIN"] }),
  };
  const a = (k: PersonaKey) => actors[k]!;

  // An expertise area, asked for by the US draft and held (privately) by the applicant.
  const area = await db.expertiseArea.create({
    data: { name: "Matrix expertise area", description: "For the route matrix." },
  });

  // Postings: two open US ones for UK staff, a US draft, and a UK one open to JP staff only; all
  // written (and the open ones published) a month ago.
  const posting = async (
    hr: Actor,
    title: string,
    eligible: string[],
    open: boolean,
    desiredExpertise: string[] = [],
  ): Promise<string> => {
    const { postingId } = must(
      await createPosting(
        hr,
        postingInput({ title, contactHrId: hr.id, eligibleInstitutes: eligible, desiredExpertise }),
        POSTED_AT,
      ),
    );
    if (open) must(await movePosting(hr, postingId, "OPEN", 0, POSTED_AT));
    return postingId;
  };
  const reviewPostingId = await posting(a("usHr"), "Puffin evaluations secondment", [uk.id], true);
  const placementPostingId = await posting(a("usHr"), "Puffin red-team secondment", [uk.id], true);
  const draftPostingId = await posting(a("usHr"), "Gannet draft secondment", [uk.id], false, [
    area.id,
  ]);
  const ukPostingId = await posting(a("ukHr"), "Curlew policy secondment", [jp.id], true);

  // The checklist a US placement of UK staff gets.
  const templateId = await ensureChecklistTemplate(db, {
    hostInstituteId: us.id,
    homeInstituteId: uk.id,
    name: "Jackal incoming from the UK",
    items: US_HOST_CHECKLIST,
  });

  // Application A: under review, with an assigned reviewer (no conflict, review submitted), a note
  // on each side, and a CV.
  const apply = async (postingId: string, statement: string, cvText: string) => {
    const { applicationId } = must(
      await startApplication(a("applicant"), postingId, BEFORE_DEADLINE),
    );
    must(
      await saveApplication(
        a("applicant"),
        applicationId,
        {
          statement,
          availableFrom: APPLICATION_FORM.availableFrom,
          availableUntil: APPLICATION_FORM.availableUntil,
          declaredClearance: "SECURITY_CHECK",
          intent: "submit",
          version: 0,
        },
        { name: "cv.pdf", bytes: pdfBytes(cvText) },
        BEFORE_DEADLINE,
      ),
    );
    return applicationId;
  };
  /** Moves an application along, each step by the party who may make it. */
  const advance = async (id: string, steps: ApplicationStatus[]) => {
    for (const to of steps) {
      const { version } = await db.application.findUniqueOrThrow({
        where: { id },
        select: { version: true },
      });
      const by =
        to === "HOME_RELEASED" ? a("lineManager") : to === "ACCEPTED" ? a("applicant") : a("usHr");
      must(await transitionApplication(by, id, { to, version, comment: "" }));
    }
  };

  const applicationId = await apply(
    reviewPostingId,
    "I would bring the Quokka evaluation method to the team.",
    "Kumquat curriculum vitae",
  );
  await advance(applicationId, ["HOME_RELEASED", "UNDER_REVIEW"]);
  must(await assignReviewer(a("usHr"), applicationId, a("reviewer").id));
  must(await declareConflict(a("reviewer"), applicationId, "NO_CONFLICT"));
  const scores = Object.fromEntries(
    ["expertise", "fit", "contribution", "readiness"].flatMap((k) => [
      [`score_${k}`, "3"],
      [`comment_${k}`, ""],
    ]),
  );
  must(
    await saveReview(a("reviewer"), applicationId, {
      ...(scores as Record<string, string>),
      comment: "Strong Lynx candidate.",
      stage: "submit",
    } as Parameters<typeof saveReview>[2]),
  );
  must(await addNote(a("lineManager"), applicationId, "Marmot: can be spared from March."));
  must(await addNote(a("usHr"), applicationId, "Ibex: check the team's budget."));

  // Application B: accepted, so a placement with its checklist; evidence and an attestation on it.
  const acceptedApplicationId = await apply(
    placementPostingId,
    "A second application, to be accepted.",
    "curriculum vitae",
  );
  await advance(acceptedApplicationId, [
    "HOME_RELEASED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "OFFERED",
    "ACCEPTED",
  ]);
  const placement = await db.placement.findUniqueOrThrow({
    where: { applicationId: acceptedApplicationId },
    select: { id: true, hostSupervisorId: true },
  });
  const items = await db.checklistItem.findMany({
    where: { placementId: placement.id },
    select: { id: true, title: true, version: true },
  });
  const item = (title: string) => items.find((i) => i.title === title)!;
  const evidenceItemId = item("Non-disclosure agreement signed").id;
  must(
    await uploadEvidence(a("applicant"), evidenceItemId, {
      name: "nda.pdf",
      bytes: pdfBytes("Tapir signed NDA"),
    }),
  );
  const attested = item("Suitability determination (SF-85P)");
  must(
    await moveChecklistItem(a("usHr"), attested.id, {
      to: "DONE",
      version: attested.version,
      verifiedBy: "Pat Vetting",
      verifiedOn: dayAfter(-7), // last week
      reference: "OKAPI-7731",
      level: "",
      expiresOn: "",
      reason: "",
    }),
  );

  // A draft application: its applicant's alone.
  const { applicationId: draftApplicationId } = must(
    await startApplication(a("ukStaff"), reviewPostingId, BEFORE_DEADLINE),
  );
  must(
    await saveApplication(
      a("ukStaff"),
      draftApplicationId,
      {
        statement: "Axolotl: a first draft.",
        availableFrom: "",
        availableUntil: "",
        declaredClearance: "BASELINE",
        intent: "save",
        version: 0,
      },
      null,
      BEFORE_DEADLINE,
    ),
  );

  // Profiles. The applicant's bio and expertise are private, their skills institute-only; US
  // staff share the expertise and a skill openly: neither may make the applicant "similar" or
  // "suggested" to anyone who may not see them.
  await ensureProfile(db, a("applicant").id, {
    bio: "Working on Wombat interpretability probes.",
    bioVisibility: "PRIVATE",
    expertise: [area.name],
    expertiseVisibility: "PRIVATE",
    skills: ["Narwhal tooling", "Sextant probing"],
    skillsVisibility: "INSTITUTE",
    openToSecondment: true,
    openToCollaboration: true,
  });
  await ensureProfile(db, a("ukStaff").id, { expertise: [area.name], openToSecondment: true });
  await ensureProfile(db, a("usStaff").id, {
    expertise: [area.name],
    skills: ["Sextant probing"],
    openToSecondment: true,
    openToCollaboration: true,
  });

  // Records of the admin pages: a person to administer, an expertise area, an email, tokens.
  const managedUser = await person("UK", "Dora Departing");
  const outboxEmail = await db.outboxEmail.findFirstOrThrow({
    where: { to: a("reviewer").email },
    select: { id: true },
  });
  const invitee = await ensureUser(db, {
    email: uniqueEmail("ivy.invitee"),
    displayName: "Ivy Invitee",
    instituteId: uk.id,
  });
  const invitationToken = await issueOneTimeToken(db, invitee.id, "INVITATION");
  const resetToken = await issueOneTimeToken(db, managedUser.id, "PASSWORD_RESET");
  // An in-app notification of the applicant's, theirs alone.
  const notification = await db.notification.create({
    data: {
      userId: a("applicant").id,
      kind: "application-update",
      title: "Dingo: your application has moved on",
      link: `/applications/${applicationId}`,
    },
    select: { id: true },
  });

  // Workspaces: one per label, with separate owner, editor and viewer, and one of everything.
  const workspaces = {} as Record<Label, WorkspaceRecords>;
  const memberInstitutes: Record<Label, [Institute, Institute, Institute]> = {
    JOINT: ["US", "UK", "JP"],
    "US-ONLY": ["US", "US", "US"],
    "UK-ONLY": ["UK", "UK", "UK"],
  };
  const prefix: Record<Label, "joint" | "us" | "uk"> = {
    JOINT: "joint",
    "US-ONLY": "us",
    "UK-ONLY": "uk",
  };
  for (const label of LABELS) {
    const codeword = { JOINT: "Osprey", "US-ONLY": "Heron", "UK-ONLY": "Plover" }[label];
    const [oi, ei, vi] = memberInstitutes[label];
    const owner = await person(oi, `Owen Owner ${label}`);
    const editor = await person(ei, `Edda Editor ${label}`);
    const viewer = await person(vi, `Vic Viewer ${label}`);
    const candidate = await person(label === "UK-ONLY" ? "UK" : "US", `Cara Candidate ${label}`);
    actors[`${prefix[label]}Owner`] = owner;
    actors[`${prefix[label]}Editor`] = editor;
    actors[`${prefix[label]}Viewer`] = viewer;
    const { workspaceId } = must(
      await createWorkspace(owner, {
        name: `${codeword} red-team workspace`,
        purpose: `Joint evaluation ${codeword}`,
        label: label === "JOINT" ? "JOINT" : label === "US-ONLY" ? us.id : uk.id,
        marking: "OFFICIAL_SENSITIVE",
        template: "GENERAL",
      }),
    );
    for (const [who, role] of [
      [editor, "EDITOR"],
      [viewer, "VIEWER"],
    ] as const) {
      must(await inviteMember(owner, workspaceId, { email: who.email, role }));
      const invitation = await db.workspaceInvitation.findFirstOrThrow({
        where: { workspaceId, inviteeId: who.id, status: "PENDING" },
      });
      must(await answerInvitation(who, invitation.id, "accept"));
    }
    const { pageId } = must(
      await createPage(owner, workspaceId, {
        title: `${codeword} refusal findings`,
        body: "First draft.",
      }),
    );
    must(
      await savePage(editor, workspaceId, pageId, {
        title: `${codeword} refusal findings`,
        body: `The model refused 12 of 40 ${codeword} prompts.`,
        baseVersion: 1,
      }),
    );
    const { fileId } = must(
      await uploadFile(owner, workspaceId, {
        name: `${codeword.toLowerCase()}-results.txt`,
        bytes: new TextEncoder().encode(`${codeword} raw results\n`),
      }),
    );
    const { threadId } = must(
      await createThread(owner, workspaceId, {
        title: `${codeword} rerun question`,
        body: `Shall we rerun ${codeword}?`,
        pageId,
      }),
    );
    must(await addComment(editor, workspaceId, threadId, `Yes, ${codeword} run 3 tomorrow.`));
    must(
      await createTask(owner, workspaceId, {
        title: `${codeword} transcript review`,
        assigneeId: editor.id,
        dueOn: "",
      }),
    );
    const task = await db.workspaceTask.findFirstOrThrow({
      where: { workspaceId },
      select: { id: true },
    });
    const { registrationId } = must(
      await registerFindings(owner, workspaceId, {
        title: `${codeword} registered findings`,
        pageIds: [pageId],
      }),
    );
    workspaces[label] = {
      label,
      codeword,
      workspaceId,
      pageId,
      fileId,
      threadId,
      taskId: task.id,
      registrationId,
      candidateEmail: candidate.email,
    };
  }

  // A pending workspace invitation, for someone who is none of the personas.
  const outsider = await person("UK", "Ivo Outsider");
  must(
    await inviteMember(actors.jointOwner!, workspaces.JOINT.workspaceId, {
      email: outsider.email,
      role: "VIEWER",
    }),
  );
  const pendingInvitation = await db.workspaceInvitation.findFirstOrThrow({
    where: { inviteeId: outsider.id, status: "PENDING" },
    select: { id: true },
  });

  // Sessions: a real cookie each; the pending persona has not done its second factor.
  const personas = {} as Record<PersonaKey, Persona>;
  for (const [i, key] of PERSONA_KEYS.entries()) {
    const actor = key === "anon" ? null : a(key);
    const institute = actor
      ? ((Object.entries(instituteIds).find(([, id]) => id === actor.instituteId)?.[0] ??
          null) as Institute | null)
      : null;
    personas[key] = {
      key,
      actor,
      institute,
      cookie: "",
      address: `10.77.0.${i + 1}`,
      membership: WS_ROLE_OF[key] ?? null,
      mfaVerified: key !== "pendingMfa",
      userAgent: `MatrixAgent-${key}-${generateToken().slice(0, 8)}`,
    };
    await renewSession(personas[key]);
  }

  const UK_PEOPLE = PERSONA_KEYS.filter((k) => personas[k].institute === "UK");
  const US_UK_PEOPLE = PERSONA_KEYS.filter((k) =>
    ["US", "UK"].includes(personas[k].institute ?? ""),
  );
  const UK_JP_PEOPLE = PERSONA_KEYS.filter((k) =>
    ["UK", "JP"].includes(personas[k].institute ?? ""),
  );
  // The pending persona is US HR, but has not finished signing in: it may see nothing.
  const signedIn = (keys: PersonaKey[]) => keys.filter((k) => k !== "pendingMfa" && k !== "anon");
  const applicationParties: PersonaKey[] = ["applicant", "lineManager", "ukHr", "usHr", "reviewer"];
  const placementParties: PersonaKey[] = ["applicant", "lineManager", "ukHr", "usHr"];
  const secret = (name: string, word: string, what: string, allowed: PersonaKey[]): Secret => {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const before = /^[a-z0-9]/i.test(word) ? "(?<![a-z0-9])" : "";
    const after = /[a-z0-9]$/i.test(word) ? "(?![a-z0-9])" : "";
    return {
      name,
      word,
      what,
      allowed: new Set(allowed),
      pattern: new RegExp(`${before}${escaped}${after}`, "i"),
    };
  };
  const secrets: Secret[] = [
    ...LABELS.map((label) =>
      secret(
        `workspace ${label}`,
        workspaces[label].codeword,
        `the ${label} workspace's content`,
        PERSONA_KEYS.filter((k) => WS_ROLE_OF[k]?.label === label),
      ),
    ),
    secret("draft statement", "Axolotl", "Ursula's draft application", ["ukStaff"]),
    // Ids too: a list or link may name a record without any of its words.
    secret("draft application id", draftApplicationId, "the draft application's id", ["ukStaff"]),
    secret("application id", applicationId, "application A's id", applicationParties),
    secret("placement id", placement.id, "the placement's id", placementParties),
    secret("draft posting id", draftPostingId, "the US draft posting's id", ["usHr"]),
    secret("template id", templateId, "the US checklist template's id", ["usHr"]),
    ...LABELS.map((label) =>
      secret(
        `workspace ${label} id`,
        workspaces[label].workspaceId,
        `the ${label} workspace's id`,
        PERSONA_KEYS.filter((k) => WS_ROLE_OF[k]?.label === label),
      ),
    ),
    secret("statement", "Quokka", "application A's statement", applicationParties),
    secret("cv", "Kumquat", "application A's CV", applicationParties),
    secret("home note", "Marmot", "the home side's note on application A", ["lineManager", "ukHr"]),
    secret("host note", "Ibex", "the host side's note on application A", ["usHr", "reviewer"]),
    secret("review", "Lynx", "the reviewer's comment on application A", ["usHr", "reviewer"]),
    secret("evidence", "Tapir", "the placement's NDA evidence file", placementParties),
    secret("attestation", "OKAPI-7731", "the placement's vetting reference", placementParties),
    secret("draft posting", "Gannet", "the US draft posting", ["usHr"]),
    secret("US postings", "Puffin", "the open US postings (for UK staff)", signedIn(US_UK_PEOPLE)),
    secret("UK posting", "Curlew", "the open UK posting (for JP staff)", signedIn(UK_JP_PEOPLE)),
    secret("template", "Jackal", "the US checklist template's name", ["usHr"]),
    secret("private bio", "Wombat", "the applicant's private bio", ["applicant", "ukHr"]),
    secret("institute skills", "Narwhal", "the applicant's institute-only skills", UK_PEOPLE),
    secret("notification", "Dingo", "the applicant's notification", ["applicant"]),
    // Each persona's sessions (the pending one cannot reach its account page: nobody sees it).
    ...PERSONA_KEYS.filter((k) => k !== "anon").map((k) =>
      secret(
        `${k}'s sessions`,
        personas[k].userAgent,
        `${k}'s session list`,
        k === "pendingMfa" ? [] : [k],
      ),
    ),
    secret("password hash", "$argon2id$", "a password hash", []),
    secret("invitation token", invitationToken, "Ivy's invitation token", []),
    secret("reset token", resetToken, "Dora's reset token", []),
  ];

  return {
    ids: instituteIds,
    personas,
    secrets,
    workspaces,
    reviewPostingId,
    placementPostingId,
    draftPostingId,
    ukPostingId,
    applicationId,
    acceptedApplicationId,
    draftApplicationId,
    placementId: placement.id,
    evidenceItemId,
    templateId,
    managedUserId: managedUser.id,
    managedUserEmail: managedUser.email,
    areaId: area.id,
    outboxEmailId: outboxEmail.id,
    invitationToken,
    resetToken,
    notificationId: notification.id,
    pendingInvitationId: pendingInvitation.id,
    lineManagerId: lineManager.id,
  };
}

/** A fresh session for the persona (after an action that ended it), and its token as a secret. */
export async function renewSession(p: Persona) {
  if (!p.actor) return;
  // Finished sign-ins are made as after a passkey: HR and administrators need one.
  const { token } = await createSession(p.actor.id, {
    mfaVerified: p.mfaVerified,
    ...(p.mfaVerified ? { method: "passkey" as const, phishingResistant: true } : {}),
    userAgent: p.userAgent,
  });
  p.cookie = `${sessionCookieName()}=${token}`;
}

/** The persona's session token: only they may ever see it. */
export const tokenOf = (p: Persona) => p.cookie.split("=")[1] ?? "";

// --- the database, as a whole -------------------------------------------------------------------

let countSql: string | undefined;

/** The row count of every table of the schema, in one round trip. */
export async function tableCounts(): Promise<Record<string, number>> {
  if (!countSql) {
    const tables = await db.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
      ORDER BY table_name`;
    countSql = tables
      .map(
        ({ table_name: t }) =>
          `SELECT '${t.replace(/'/g, "''")}' AS t, count(*)::int AS n FROM "${t.replace(/"/g, '""')}"`,
      )
      .join(" UNION ALL ");
  }
  const rows = await db.$queryRawUnsafe<{ t: string; n: number }[]>(countSql);
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

/** Tables whose counts differ, as "Table: before -> after". */
export function countChanges(before: Record<string, number>, after: Record<string, number>) {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names]
    .filter((t) => before[t] !== after[t])
    .map((t) => ({ table: t, change: `${t}: ${before[t] ?? 0} -> ${after[t] ?? 0}` }));
}
