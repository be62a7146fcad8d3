import { db } from "~/lib/db.server";
import { hashPassword } from "~/lib/password.server";
import { ensureInstitute, ensureUser, UK_AISI, US_AISI } from "../test/factories";
import { createPeopleGenerator, ensureGeneratedPeople } from "../test/factories/people-generator";
import { ensureProfile, type ProfileSpec } from "../test/factories/profiles";
import {
  ensureChecklistTemplate,
  settleDemoPlacement,
  UK_HOST_CHECKLIST,
  US_HOST_CHECKLIST,
} from "../test/factories/checklists";
import { ensureDemoPosting } from "../test/factories/pipeline";
import { ensureTaxonomy, type ExpertiseAreaName } from "../test/factories/taxonomy";
import { ensureDemoWorkspaces } from "../test/factories/workspaces";

// Demo data for a first look at the portal, shared by the demo seed (prisma/seed.ts), the scale
// generator (scripts/seed-scale.ts) and the tests. Idempotent: running it again changes nothing new.
export const DEMO_PASSWORD = "partner-exchange-demo-2026";

/** Generated directory entries per institute, beside the hand-written demo people. */
export const GENERATED_PEOPLE_PER_INSTITUTE = 45;

type DemoProfile = ProfileSpec & { expertise: ExpertiseAreaName[] };

export async function seed() {
  const us = await ensureInstitute(db, US_AISI);
  const uk = await ensureInstitute(db, UK_AISI);
  const password = DEMO_PASSWORD;
  const taxonomy = await ensureTaxonomy(db);

  const admin = await ensureUser(db, {
    email: "morgan.blake@uk-aisi.example",
    displayName: "Morgan Blake",
    jobTitle: "Systems administrator",
    team: "Digital",
    instituteId: uk.id,
    roles: ["ADMIN"],
    password,
  });

  const usHr = await ensureUser(db, {
    email: "jordan.rivera@us-aisi.example",
    displayName: "Jordan Rivera",
    jobTitle: "HR coordinator, international exchanges",
    team: "Human Capital",
    instituteId: us.id,
    roles: ["HR"],
    password,
  });
  const usManager = await ensureUser(db, {
    email: "priya.natarajan@us-aisi.example",
    displayName: "Priya Natarajan",
    jobTitle: "Evaluations lead",
    team: "Evaluations",
    instituteId: us.id,
    password,
  });
  const usStaff = await ensureUser(db, {
    email: "sam.okafor@us-aisi.example",
    displayName: "Sam Okafor",
    jobTitle: "Research engineer",
    team: "Evaluations",
    instituteId: us.id,
    lineManagerId: usManager.id,
    password,
  });
  const usStaff2 = await ensureUser(db, {
    email: "lena.park@us-aisi.example",
    displayName: "Lena Park",
    jobTitle: "Red-team researcher",
    team: "Evaluations",
    instituteId: us.id,
    lineManagerId: usManager.id,
    password,
  });

  const ukHr = await ensureUser(db, {
    email: "eleanor.hughes@uk-aisi.example",
    displayName: "Eleanor Hughes",
    jobTitle: "HR business partner",
    team: "People",
    instituteId: uk.id,
    roles: ["HR"],
    password,
  });
  const ukManager = await ensureUser(db, {
    email: "tom.whitfield@uk-aisi.example",
    displayName: "Tom Whitfield",
    jobTitle: "Head of interpretability",
    team: "Interpretability",
    instituteId: uk.id,
    password,
  });
  const ukStaff = await ensureUser(db, {
    email: "aisha.rahman@uk-aisi.example",
    displayName: "Aisha Rahman",
    jobTitle: "Research scientist",
    team: "Interpretability",
    instituteId: uk.id,
    lineManagerId: ukManager.id,
    password,
  });
  const ukStaff2 = await ensureUser(db, {
    email: "owen.griffiths@uk-aisi.example",
    displayName: "Owen Griffiths",
    jobTitle: "Cyber security researcher",
    team: "Cyber",
    instituteId: uk.id,
    lineManagerId: ukManager.id,
    password,
  });

  const users = [admin, usHr, usManager, usStaff, usStaff2, ukHr, ukManager, ukStaff, ukStaff2];
  for (const user of users) {
    await ensureProfile(db, user.id, DEMO_PROFILES[user.email]!, taxonomy);
  }

  // A directory worth searching: colleagues with line managers in their own institute. One argon2
  // hash of the demo password serves them all (hashing each would take seconds).
  const passwordHash = await hashPassword(password);
  const generator = createPeopleGenerator({ seed: "directory-demo", teamCount: 8 });
  let people = 0;
  for (const institute of [us, uk]) {
    const generated = Array.from({ length: GENERATED_PEOPLE_PER_INSTITUTE }, (_, i) =>
      generator.person(institute.code, i),
    );
    await ensureGeneratedPeople(db, { institute, people: generated, passwordHash, taxonomy });
    people += generated.length;
  }

  // Each host's standard clearance checklist, copied onto every placement it hosts.
  await ensureChecklistTemplate(db, {
    hostInstituteId: us.id,
    homeInstituteId: uk.id,
    name: "Incoming secondee from the UK AISI",
    items: US_HOST_CHECKLIST,
  });
  await ensureChecklistTemplate(db, {
    hostInstituteId: uk.id,
    homeInstituteId: us.id,
    name: "Incoming secondee from the US AISI",
    items: UK_HOST_CHECKLIST,
  });

  // Postings at both institutes, with applications in every stage of the pipeline. Applicants
  // are generated people who have a line manager, so every release has someone to decide it.
  const applicants = async (instituteId: string) =>
    db.user.findMany({
      where: {
        instituteId,
        lineManagerId: { not: null },
        email: { notIn: users.map((u) => u.email) },
      },
      orderBy: { email: "asc" },
      take: 14,
      select: { id: true, instituteId: true, lineManagerId: true },
    });
  const ukApplicants = await applicants(uk.id);
  const usApplicants = await applicants(us.id);
  const stages = [
    "SUBMITTED",
    "HOME_RELEASED",
    "HOME_DECLINED",
    "UNDER_REVIEW",
    "SHORTLISTED",
    "INTERVIEW",
    "OFFERED",
    "ACCEPTED",
    "DECLINED",
    "REJECTED",
    "WITHDRAWN",
    "DRAFT",
  ] as const;
  const usHost = { id: us.id, timeZone: us.timeZone };
  const ukHost = { id: uk.id, timeZone: uk.timeZone };
  await ensureDemoPosting(
    db,
    {
      title: "Frontier model evaluations secondment",
      team: "Evaluations",
      description:
        "Join the US AISI evaluations team for six months to design and run pre-deployment evaluations of frontier models.\n\n- Build agentic tasks in Inspect\n- Run joint testing exercises with the UK AISI\n- Write up findings for model developers",
      host: usHost,
      eligible: [uk],
      contactHrId: usHr.id,
      required: ["Evaluations"],
      desired: ["Autonomy & agents", "Evaluations infrastructure"],
      minClearance: "BASELINE",
      workMode: "HYBRID",
      location: "Washington DC",
      durationMonths: 6,
      places: 3,
      deadlineInDays: 40,
      status: "OPEN",
      // The demo line manager (Tom Whitfield) has Aisha Rahman's release to decide.
      applications: stages.map((status, i) => ({
        applicant: status === "SUBMITTED" ? ukStaff : ukApplicants[i]!,
        status,
      })),
    },
    taxonomy,
    usManager,
  );
  await ensureDemoPosting(
    db,
    {
      title: "Cyber ranges engineer",
      team: "Cyber evaluations",
      description:
        "Help us build cyber ranges for evaluating model-assisted offensive capabilities. Remote, with two weeks on site at the start.",
      host: usHost,
      eligible: [uk],
      contactHrId: usHr.id,
      required: ["Cyber security"],
      minClearance: "SECURITY_CHECK",
      workMode: "REMOTE",
      location: "",
      durationMonths: 3,
      places: 1,
      deadlineInDays: 21,
      status: "OPEN",
    },
    taxonomy,
    usManager,
  );
  await ensureDemoPosting(
    db,
    {
      title: "Interpretability research secondment",
      team: "Interpretability",
      description:
        "Work with the UK AISI interpretability team on sparse autoencoders and probes for auditing frontier models.",
      host: ukHost,
      eligible: [us],
      contactHrId: ukHr.id,
      required: ["Interpretability"],
      desired: ["Alignment research"],
      minClearance: "BASELINE",
      workMode: "ON_SITE",
      location: "London",
      durationMonths: 9,
      places: 2,
      deadlineInDays: 55,
      status: "OPEN",
      applications: [
        { applicant: usApplicants[0]!, status: "UNDER_REVIEW" },
        { applicant: usApplicants[1]!, status: "SUBMITTED" },
        { applicant: usApplicants[2]!, status: "SHORTLISTED" },
        { applicant: usStaff, status: "DRAFT" },
      ],
    },
    taxonomy,
    ukManager,
  );
  await ensureDemoPosting(
    db,
    {
      title: "Safeguards red-teaming secondment",
      team: "Safeguards",
      description:
        "Red-team model safeguards alongside the US safeguards team. Applications are closed.",
      host: usHost,
      eligible: [uk],
      contactHrId: usHr.id,
      required: ["Red-teaming"],
      minClearance: "BASELINE",
      workMode: "ON_SITE",
      location: "New York",
      durationMonths: 4,
      places: 1,
      deadlineInDays: -10,
      status: "CLOSED",
      applications: [{ applicant: ukApplicants[12]!, status: "UNDER_REVIEW" }],
    },
    taxonomy,
    usManager,
  );
  await ensureDemoPosting(
    db,
    {
      title: "Evaluations platform secondment",
      team: "Platform",
      description:
        "Shared evaluation infrastructure with the UK AISI platform team. This place is filled.",
      host: ukHost,
      eligible: [us],
      contactHrId: ukHr.id,
      required: ["Evaluations infrastructure"],
      minClearance: "BASELINE",
      workMode: "HYBRID",
      location: "London",
      durationMonths: 6,
      places: 1,
      deadlineInDays: -30,
      status: "FILLED",
      applications: [
        { applicant: usApplicants[3]!, status: "ACCEPTED" },
        { applicant: usApplicants[4]!, status: "REJECTED" },
      ],
    },
    taxonomy,
    ukManager,
  );
  await ensureDemoPosting(
    db,
    {
      title: "AI policy fellowship",
      team: "Policy",
      description: "A draft: a policy fellowship for UK staff. Not yet published.",
      host: usHost,
      eligible: [uk],
      contactHrId: usHr.id,
      required: ["Policy & governance"],
      minClearance: "NONE",
      workMode: "HYBRID",
      location: "Washington DC",
      durationMonths: 12,
      places: 1,
      deadlineInDays: 80,
      status: "DRAFT",
    },
    taxonomy,
    usManager,
  );

  // Placements in every status: past exchanges that are active, completed or cancelled, and one
  // clearing now with overdue, blocked and due-soon items.
  const placementSpecs = [
    { title: "Evaluations exchange (spring)", status: "ACTIVE", done: "all", deadline: -150, i: 5 },
    {
      title: "Policy exchange (last year)",
      status: "COMPLETED",
      done: "all",
      deadline: -500,
      i: 6,
    },
    {
      title: "Safeguards exchange (withdrawn)",
      status: "CANCELLED",
      done: 3,
      deadline: -120,
      i: 7,
    },
    {
      title: "Interpretability exchange (next term)",
      status: "CLEARING",
      done: 2,
      inProgress: 2,
      deadline: -30,
      i: 8,
    },
  ] as const;
  for (const spec of placementSpecs) {
    const postingId = await ensureDemoPosting(
      db,
      {
        title: spec.title,
        team: "Exchange programme",
        description: "A past or current exchange, kept as a record of its placement.",
        host: ukHost,
        eligible: [us],
        contactHrId: ukHr.id,
        required: ["Evaluations"],
        minClearance: "BASELINE",
        workMode: "ON_SITE",
        location: "London",
        durationMonths: 6,
        places: 1,
        deadlineInDays: spec.deadline,
        status: "FILLED",
        applications: [{ applicant: usApplicants[spec.i]!, status: "ACCEPTED" }],
      },
      taxonomy,
      ukManager,
    );
    const placement = await db.placement.findFirstOrThrow({ where: { postingId } });
    await settleDemoPlacement(db, placement.id, {
      status: spec.status,
      done: spec.done,
      inProgress: "inProgress" in spec ? spec.inProgress : 0,
    });
  }

  // Research workspaces, built through the workspace services by the demo researchers: a joint
  // testing exercise with both institutes in it, and one workspace restricted to each institute.
  await ensureDemoWorkspaces(db, {
    usLead: usManager,
    usEngineer: usStaff,
    usRedTeamer: usStaff2,
    ukLead: ukManager,
    ukCyber: ukStaff2,
    ukScientist: ukStaff,
  });

  return { institutes: [us, uk], users, people };
}

/** Hand-written profiles of the demo people, by email, to suit their titles. */
const DEMO_PROFILES: Record<string, DemoProfile> = {
  "morgan.blake@uk-aisi.example": {
    bio: "Runs the exchange portal and the identity systems behind it for both institutes. Most days that means access reviews, keeping the audit log honest and making MFA as painless as it can be. Before the institute, Morgan looked after secure research networks at a university. Ask about accounts, roles or anything odd in the audit trail.",
    expertise: ["AI security (model weights)", "Evaluations infrastructure"],
    skills: [
      "identity and access management",
      "Linux",
      "PostgreSQL",
      "incident response",
      "audit logging",
    ],
    languages: ["English"],
    location: "London",
    openToCollaboration: true,
  },
  "jordan.rivera@us-aisi.example": {
    bio: "Coordinates the US side of the staff exchange: postings, release approvals and clearance checklists for people going to and coming from the UK AISI. Before the institute, Jordan ran the IPA assignment programme at a federal science agency. Get in touch early if you are thinking about a secondment; the paperwork takes longer than you would expect.",
    expertise: ["Policy & governance"],
    skills: [
      "IPA assignments",
      "security clearance processing",
      "onboarding",
      "workforce planning",
    ],
    languages: ["English", "Spanish"],
    location: "Gaithersburg",
    locationVisibility: "PARTNERS",
  },
  "priya.natarajan@us-aisi.example": {
    bio: "I lead the US institute's evaluations team, which runs pre-deployment testing of frontier models jointly with the UK AISI. My own research is on capability elicitation: how much a model's measured performance depends on the scaffolding and effort testers put in. Before joining I was a research scientist working on reasoning benchmarks. Always keen to compare notes on elicitation with partner institutes.",
    expertise: ["Evaluations", "Statistics & measurement", "Safety cases"],
    skills: [
      "capability elicitation",
      "benchmark design",
      "experimental design",
      "Inspect",
      "Python",
      "team leadership",
    ],
    publications: [
      {
        title: "Elicitation gaps in pre-deployment testing of frontier models",
        url: "https://papers.example.org/2025/elicitation-gaps",
      },
      {
        title: "A shared protocol for joint testing exercises",
        url: "https://www.us-aisi.example/research/joint-testing-protocol",
      },
    ],
    languages: ["English", "Tamil"],
    location: "Washington DC",
    openToCollaboration: true,
  },
  "sam.okafor@us-aisi.example": {
    bio: "Research engineer on the evaluations team. I build agent evaluations in Inspect and keep our sandboxed task environments running, mostly for long-horizon autonomy and cyber tasks. Previously a backend engineer at a logistics start-up. I'd like a secondment to the UK AISI's platform team to work on shared evaluation infrastructure.",
    expertise: ["Evaluations infrastructure", "Autonomy & agents", "Evaluations"],
    skills: ["Python", "Inspect", "Docker", "Kubernetes", "agent scaffolding", "sandboxing"],
    publications: [
      {
        title: "Running agent evaluations safely at scale",
        url: "https://papers.example.org/2025/agent-evaluations-at-scale",
      },
    ],
    languages: ["English", "Igbo"],
    location: "San Francisco",
    locationVisibility: "PRIVATE",
    openToSecondment: true,
    openToCollaboration: true,
  },
  "lena.park@us-aisi.example": {
    bio: "Red-teams frontier models' safeguards before release, with a focus on jailbreaks that transfer across models and on prompt injection against tool-using agents. Lena came from the trust and safety team of a large platform and still runs an expert red-teaming programme with outside specialists. Keen to collaborate on automated attack generation.",
    expertise: ["Red-teaming", "Model safeguards"],
    skills: [
      "jailbreak design",
      "prompt injection",
      "adversarial testing",
      "threat modelling",
      "Python",
    ],
    skillsVisibility: "INSTITUTE",
    publications: [
      {
        title: "Universal jailbreaks transfer across safeguarded models",
        url: "https://papers.example.org/2025/universal-jailbreaks-transfer",
      },
      {
        title: "Prompt injection in the wild: attacks on tool-using agents",
        url: "https://preprints.example.org/abs/2503.14159",
      },
    ],
    languages: ["English", "Korean"],
    location: "New York",
    openToCollaboration: true,
  },
  "eleanor.hughes@uk-aisi.example": {
    bio: "HR business partner for the research directorates and the UK contact for secondments to and from the US AISI. I look after loan agreements, security vetting checklists and the practicalities of moving between London and Washington.",
    expertise: ["Policy & governance"],
    skills: ["secondment agreements", "security vetting", "employee relations", "relocation"],
    languages: ["English", "Welsh"],
    location: "London",
    locationVisibility: "PARTNERS",
  },
  "tom.whitfield@uk-aisi.example": {
    bio: "Heads the interpretability team. We use sparse autoencoders and probes to audit frontier models for safety-relevant behaviour, such as recognising when they are being tested. Before the institute Tom was an academic in computational neuroscience. Happy to host secondees who want to bring interpretability into evaluations.",
    expertise: ["Interpretability", "Alignment research", "Evaluations"],
    skills: [
      "sparse autoencoders",
      "probing",
      "circuit analysis",
      "PyTorch",
      "research management",
    ],
    publications: [
      {
        title: "Sparse autoencoders reveal features of evaluation awareness",
        url: "https://papers.example.org/2025/sae-evaluation-awareness",
      },
      {
        title: "Probing for deception in chat models",
        url: "https://preprints.example.org/abs/2410.02718",
      },
      { title: "Population coding in the visual cortex (PhD thesis)" },
    ],
    languages: ["English", "German"],
    location: "London",
    openToCollaboration: true,
  },
  "aisha.rahman@uk-aisi.example": {
    bio: "I work on circuit analysis of refusal in chat models, and on whether the mechanisms we find survive fine-tuning. I also help the safeguards team test unlearning methods. Before the institute I did a PhD in machine learning in Edinburgh.",
    bioVisibility: "INSTITUTE",
    expertise: ["Interpretability", "Model safeguards"],
    skills: ["circuit analysis", "activation patching", "TransformerLens", "unlearning", "JAX"],
    publications: [
      {
        title: "Refusal is mediated by a small set of directions",
        url: "https://papers.example.org/2024/refusal-directions",
      },
      {
        title: "Are unlearning methods robust to relearning?",
        url: "https://preprints.example.org/abs/2506.31415",
      },
    ],
    languages: ["English", "Bengali", "French"],
    location: "Edinburgh",
    openToSecondment: true,
    openToCollaboration: true,
  },
  "owen.griffiths@uk-aisi.example": {
    bio: "Builds capture-the-flag challenges and cyber ranges that measure whether AI agents can carry out multi-stage attacks on their own. Owen spent eight years running penetration tests for critical national infrastructure before joining. Interested in joint cyber evaluations with the US AISI.",
    expertise: ["Cyber security", "Autonomy & agents", "Evaluations"],
    skills: [
      "CTF design",
      "binary exploitation",
      "network forensics",
      "penetration testing",
      "cyber ranges",
    ],
    publications: [
      {
        title: "A cyber range for evaluating autonomous offensive agents",
        url: "https://papers.example.org/2025/cyber-range-autonomous-agents",
      },
    ],
    languages: ["English", "Welsh"],
    location: "Bristol",
    openToSecondment: true,
    openToCollaboration: true,
    availabilityVisibility: "INSTITUTE",
  },
};

/** The value of `--profiles N` (or `--profiles=N`), if given. */
export function profilesArgument(argv: readonly string[]): number | undefined {
  const i = argv.findIndex((a) => a === "--profiles" || a.startsWith("--profiles="));
  if (i === -1) return undefined;
  const arg = argv[i]!;
  const raw = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[i + 1];
  const n = Number(raw);
  if (!raw || !Number.isInteger(n) || n < 0 || n > 1_000_000) {
    throw new Error(`--profiles needs a whole number from 0 to 1000000, not "${raw ?? ""}".`);
  }
  return n;
}

/**
 * The demo data holds accounts (an admin among them) whose password is published in the README:
 * never put them into a production database by accident.
 */
export function demoSeedRefusal(env: Record<string, string | undefined>, argv: readonly string[]) {
  if (env.NODE_ENV === "production" && !argv.includes("--allow-production")) {
    return (
      "Refusing to seed demo accounts with a published password while NODE_ENV=production. " +
      "Use a database made for a demonstration, and pass --allow-production if that is what this is."
    );
  }
  return null;
}
