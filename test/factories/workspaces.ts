import type { PrismaClient } from "~/generated/prisma/client";
import type { TaskStatus, WorkspaceRole } from "~/generated/prisma/enums";
import type { Actor } from "~/lib/permissions";
import { addComment, createThread } from "~/modules/workspaces/discussion.server";
import { createPage, savePage } from "~/modules/workspaces/pages.server";
import { createTask, moveTask } from "~/modules/workspaces/tasks.server";
import { registerFindings } from "~/modules/workspaces/registrations.server";
import { uploadFile } from "~/modules/workspaces/files.server";
import {
  CommentSchema,
  InviteSchema,
  PageSaveSchema,
  PageSchema,
  RegistrationSchema,
  TaskSchema,
  TaskStatusSchema,
  ThreadSchema,
  WorkspaceSchema,
} from "~/modules/workspaces/schema";
import { answerInvitation, inviteMember, setMemberRole } from "~/modules/workspaces/members.server";
import { createWorkspace } from "~/modules/workspaces/workspaces.server";
import { clock } from "~/lib/clock";
import { dayAfter } from "../support/clock";

// Shared by the demo data (prisma/demo.ts) and the tests: demo workspaces built through the workspace services, as
// people would build them in the portal, so that activity, audit events and page versions are real.
// Every input goes through the form's zod schema first: demo text obeys the same rules as typed text.
// The services queue the invitation emails; without SMTP_URL they wait in the outbox.

export type DemoWorkspacePeople = {
  /** US evaluations lead: creates and owns the joint exercise and the US workspace. */
  usLead: Actor;
  /** US research engineer (autonomy evaluations, model access). */
  usEngineer: Actor;
  /** US red-teamer (safeguards). */
  usRedTeamer: Actor;
  /** UK co-lead of the exercise; owns the UK workspace. */
  ukLead: Actor;
  /** UK cyber researcher. */
  ukCyber: Actor;
  /** UK research scientist: a viewer of the joint exercise, an editor of the UK workspace. */
  ukScientist: Actor;
};

export const DEMO_MODEL = "Kestrel-4";
export const DEMO_DEVELOPER = "Kestrel Labs";
export const JOINT_EXERCISE_NAME = `Joint pre-deployment testing: ${DEMO_MODEL}`;
export const US_WORKSPACE_NAME = "Elicitation study: scaffolds and agent benchmark scores";
export const UK_WORKSPACE_NAME = "Evaluation-awareness probes on open-weights models";

/**
 * The joint testing exercise and one single-institute workspace per institute. Each is built only
 * if no workspace of its name exists, so running the seed again adds nothing.
 */
export async function ensureDemoWorkspaces(db: PrismaClient, people: DemoWorkspacePeople) {
  return {
    jointId: await ensureWorkspace(db, JOINT_EXERCISE_NAME, () => buildJointExercise(db, people)),
    usId: await ensureWorkspace(db, US_WORKSPACE_NAME, () => buildUsWorkspace(db, people)),
    ukId: await ensureWorkspace(db, UK_WORKSPACE_NAME, () => buildUkWorkspace(db, people)),
  };
}

async function ensureWorkspace(db: PrismaClient, name: string, build: () => Promise<string>) {
  const existing = await db.workspace.findFirst({ where: { name }, select: { id: true } });
  return existing?.id ?? build();
}

// --- Steps, each one service call with the form's validation -------------------------------------

type Result = { ok: true } | { ok: false; errors: Record<string, string[] | undefined> };

function must<T extends Result>(result: T, what: string): Extract<T, { ok: true }> {
  if (!result.ok)
    throw new Error(`Demo workspaces: ${what} failed: ${JSON.stringify(result.errors)}`);
  return result as Extract<T, { ok: true }>;
}

/** A date `days` from today, as a YYYY-MM-DD form value. */
const isoDay = (days: number) => dayAfter(days, clock.now());

/** A date `days` from today as people write it in a plan: "Tue 3 Mar". */
function day(days: number) {
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  }).format(new Date(`${isoDay(days)}T12:00:00Z`));
}

async function create(
  owner: Actor,
  spec: {
    name: string;
    purpose: string;
    label: string;
    marking: "OFFICIAL" | "OFFICIAL_SENSITIVE" | "CUI";
    template: "GENERAL" | "JOINT_TESTING";
  },
) {
  const result = must(await createWorkspace(owner, WorkspaceSchema.parse(spec)), "create");
  return result.workspaceId;
}

/** Invited by the owner, accepted by the invitee: the way people join. */
async function join(
  db: PrismaClient,
  owner: Actor,
  workspaceId: string,
  member: Actor,
  role: WorkspaceRole,
) {
  must(
    await inviteMember(owner, workspaceId, InviteSchema.parse({ email: member.email, role })),
    `invite ${member.email}`,
  );
  const invitation = await db.workspaceInvitation.findFirstOrThrow({
    where: { workspaceId, inviteeId: member.id, status: "PENDING" },
    select: { id: true },
  });
  must(await answerInvitation(member, invitation.id, "accept"), `accept ${member.email}`);
}

async function pageNamed(db: PrismaClient, workspaceId: string, title: string) {
  const page = await db.workspacePage.findFirstOrThrow({
    where: { workspaceId, title },
    select: { id: true },
  });
  return page.id;
}

async function newPage(actor: Actor, workspaceId: string, title: string, body: string) {
  const result = must(
    await createPage(actor, workspaceId, PageSchema.parse({ title, body })),
    `create page ${title}`,
  );
  return result.pageId;
}

/** Saves a new version of the page, starting from its current one. */
async function edit(
  db: PrismaClient,
  actor: Actor,
  workspaceId: string,
  pageId: string,
  body: string,
) {
  const page = await db.workspacePage.findUniqueOrThrow({
    where: { id: pageId },
    select: { title: true, version: true },
  });
  const input = PageSaveSchema.parse({ title: page.title, body, baseVersion: page.version });
  must(await savePage(actor, workspaceId, pageId, input), `save ${page.title}`);
}

async function thread(
  actor: Actor,
  workspaceId: string,
  spec: { title: string; body: string; pageId?: string },
) {
  const result = must(
    await createThread(actor, workspaceId, ThreadSchema.parse(spec)),
    `start ${spec.title}`,
  );
  return result.threadId;
}

async function comment(actor: Actor, workspaceId: string, threadId: string, body: string) {
  const input = CommentSchema.parse({ body });
  must(await addComment(actor, workspaceId, threadId, input.body), "comment");
}

type TaskSpec = {
  title: string;
  assignee: Actor;
  dueInDays: number;
  status: TaskStatus;
};

async function tasks(db: PrismaClient, creator: Actor, workspaceId: string, specs: TaskSpec[]) {
  for (const spec of specs) {
    const input = TaskSchema.parse({
      title: spec.title,
      assigneeId: spec.assignee.id,
      dueOn: isoDay(spec.dueInDays),
    });
    must(await createTask(creator, workspaceId, input), `task ${spec.title}`);
  }
  // Moved by their assignees once all exist, as work progresses: to "in progress", then to "done".
  for (const target of ["IN_PROGRESS", "DONE"] as const) {
    for (const spec of specs) {
      if (spec.status === "OPEN" || (target === "DONE" && spec.status !== "DONE")) continue;
      const task = await db.workspaceTask.findFirstOrThrow({
        where: { workspaceId, title: spec.title },
        select: { id: true, version: true },
      });
      const input = TaskStatusSchema.parse({
        taskId: task.id,
        status: target,
        version: task.version,
      });
      must(await moveTask(spec.assignee, workspaceId, input), `move ${spec.title}`);
    }
  }
}

async function upload(actor: Actor, workspaceId: string, name: string, text: string) {
  must(
    await uploadFile(actor, workspaceId, { name, bytes: new TextEncoder().encode(text) }),
    `upload ${name}`,
  );
}

// --- The joint testing exercise ------------------------------------------------------------------

async function buildJointExercise(db: PrismaClient, p: DemoWorkspacePeople) {
  const { usLead: priya, usEngineer: sam, usRedTeamer: lena } = p;
  const { ukLead: tom, ukCyber: owen, ukScientist: aisha } = p;
  const id = await create(priya, {
    name: JOINT_EXERCISE_NAME,
    purpose: `Pre-deployment testing of ${DEMO_MODEL}, ${DEMO_DEVELOPER}' next frontier model, run jointly by the US and UK AI Safety Institutes under the partnership's testing agreement. Plans, findings and the joint report live here; raw transcripts stay with the institute that produced them.`,
    label: "JOINT",
    marking: "OFFICIAL_SENSITIVE",
    template: "JOINT_TESTING",
  });

  await join(db, priya, id, tom, "EDITOR");
  await join(db, priya, id, sam, "EDITOR");
  await join(db, priya, id, lena, "EDITOR");
  await join(db, priya, id, owen, "EDITOR");
  await join(db, priya, id, aisha, "VIEWER");
  // The UK co-lead manages the workspace as much as the US lead does.
  must(await setMemberRole(priya, id, tom.id, "OWNER"), "make the UK co-lead an owner");

  const plan = await pageNamed(db, id, "Test plan");
  const access = await pageNamed(db, id, "Model access");
  const findings = await pageNamed(db, id, "Findings");
  const report = await pageNamed(db, id, "Report");

  await edit(db, priya, id, plan, testPlan(1));
  await edit(db, sam, id, access, modelAccess(1));
  await edit(db, tom, id, plan, testPlan(2));
  await edit(db, owen, id, access, modelAccess(2));

  await tasks(db, priya, id, [
    {
      title: "Smoke-test both endpoints and confirm the rate limits with Kestrel Labs",
      assignee: sam,
      dueInDays: -11,
      status: "DONE",
    },
    {
      title: "Write up the universal jailbreak for the rapid notification",
      assignee: lena,
      dueInDays: -5,
      status: "DONE",
    },
    {
      title: "Retest the held-out queries against the patched safeguard classifier",
      assignee: lena,
      dueInDays: -1,
      status: "DONE",
    },
    {
      title: "Review 200 sampled agent transcripts for signs of evaluation awareness",
      assignee: aisha,
      dueInDays: -2,
      status: "DONE",
    },
    {
      title: "Rerun Kestrel-3 on the multi-host ranges with the current scaffold",
      assignee: owen,
      dueInDays: 2,
      status: "IN_PROGRESS",
    },
    {
      title: "Finish the 8-hour autonomy runs on the remaining three tasks",
      assignee: sam,
      dueInDays: 3,
      status: "IN_PROGRESS",
    },
    {
      title: "Start the agentic prompt-injection red-teaming",
      assignee: owen,
      dueInDays: -1,
      status: "OPEN",
    },
    {
      title: "Agree the read-out agenda and send it to Kestrel Labs",
      assignee: priya,
      dueInDays: 4,
      status: "OPEN",
    },
    {
      title: "Draft the method and limitations sections of the report",
      assignee: tom,
      dueInDays: 6,
      status: "IN_PROGRESS",
    },
    {
      title: "Revoke the API keys when the access window closes",
      assignee: sam,
      dueInDays: 9,
      status: "OPEN",
    },
  ]);

  await edit(db, owen, id, plan, testPlan(3));
  await edit(db, owen, id, findings, findingsPage(1));
  await upload(owen, id, "kestrel-4-cyber-results.csv", CYBER_RESULTS_V1);
  await edit(db, lena, id, findings, findingsPage(2));
  await edit(db, sam, id, plan, testPlan(4));
  await edit(db, tom, id, findings, findingsPage(3));

  const rangeThread = await thread(priya, id, {
    pageId: findings,
    title: "Is the range result comparable with Kestrel-3?",
    body: "Owen, the earlier Kestrel-3 range runs used the older scaffold with a 50-step limit. Before we say **first end-to-end solve** at the read-out, can we rerun Kestrel-3 on the current scaffold with the same 150-step budget? Otherwise part of the jump could be the scaffold, not the model.",
  });
  await comment(
    owen,
    id,
    rangeThread,
    "Fair point. The rerun is queued: 10 attempts on each range with the current scaffold. It needs about two days of range time, so results by " +
      `${day(2)}. I have added a line to the CSV so the comparison is visible.`,
  );
  await comment(
    tom,
    id,
    rangeThread,
    "For the interim read-out, let's word it as *first end-to-end solve under our current scaffold* and update the finding once the rerun is in. I'd also keep the confidence at medium: 3 of 10 attempts is a small sample.",
  );
  await comment(
    priya,
    id,
    rangeThread,
    "Agreed on both. I've changed the wording of finding 1 and there is a task for the rerun.",
  );

  await edit(db, sam, id, findings, findingsPage(4));
  await upload(owen, id, "kestrel-4-cyber-results.csv", CYBER_RESULTS_V2);

  const agenda = await thread(tom, id, {
    title: `Read-out agenda for ${DEMO_DEVELOPER}`,
    body: `Proposal for the 60-minute read-out on ${day(5)}:\n\n1. Summary and headline results (Priya, 10 min)\n2. Cyber (Owen, 15 min)\n3. Chemical and biological (UK chem-bio lead, 10 min)\n4. Safeguards, including the patched jailbreak (Lena, 10 min)\n5. Questions (15 min)\n\nWe share the registered findings, not raw transcripts. Objections by ${day(2)}, please.`,
  });
  await comment(
    sam,
    id,
    agenda,
    "The autonomy runs won't be complete by then. Could we present them as preliminary, with the numbers for the four finished tasks only, rather than drop them?",
  );
  await comment(
    aisha,
    id,
    agenda,
    "From the transcript review: in 6 of 200 sampled agent transcripts the model remarked that the task looked like a test or a benchmark. Small, but it bears on how far the autonomy scores transfer to deployment. Worth a line under limitations?",
  );
  await comment(
    priya,
    id,
    agenda,
    "Yes to both. Autonomy goes in as preliminary, and I've added evaluation awareness to the report's limitations. I'll send the agenda to Kestrel Labs once the findings are registered.",
  );

  await edit(db, priya, id, report, reportPage(1));
  await edit(db, tom, id, report, reportPage(2));
  await edit(db, priya, id, findings, findingsPage(5));
  await edit(db, priya, id, plan, testPlan(5));

  must(
    await registerFindings(
      priya,
      id,
      RegistrationSchema.parse({
        title: `Interim findings for the ${DEMO_DEVELOPER} read-out`,
        pageIds: [findings, report],
      }),
    ),
    "register findings",
  );
  return id;
}

type Row = [evaluation: string, lead: string, domain: string, status: string];

/** The test plan as it grew: 1 the US lead's draft ... 5 after the capability evaluations. */
function testPlan(stage: 1 | 2 | 3 | 4 | 5) {
  const at = (from: number, then: string, before: string) => (stage >= from ? then : before);
  const rows: Row[] = [
    [
      "Cyber ranges: 32 capture-the-flag challenges and 2 multi-host ranges",
      "UK AISI",
      "Cyber",
      at(5, "Complete (range rerun in progress)", at(3, "In progress", "Planned")),
    ],
    [
      "Vulnerability discovery in open-source C libraries",
      "US AISI",
      "Cyber",
      at(4, "In progress", "Planned"),
    ],
    [
      "Chem-bio knowledge questions (640 expert-written items)",
      "UK AISI",
      "Chem/bio uplift",
      at(5, "Complete", at(3, "In progress", "Planned")),
    ],
    [
      "Wet-lab protocol troubleshooting",
      at(2, "US AISI", "To agree"),
      "Chem/bio uplift",
      at(5, "Complete", "Planned"),
    ],
    [
      "Long-horizon agent tasks (7 ML engineering tasks, 8-hour budget)",
      "US AISI",
      "Autonomy",
      at(4, "In progress", "Planned"),
    ],
    [
      "Universal jailbreak hunt against the production safeguards (40 hours)",
      "US AISI",
      "Safeguards",
      at(5, "Complete", at(4, "In progress", "Planned")),
    ],
  ];
  if (stage >= 2)
    rows.push([
      "Prompt injection against the model as a browsing agent",
      "UK AISI",
      "Safeguards",
      "Planned",
    ]);
  const table = rows.map((r) => `| ${r.join(" | ")} |`).join("\n");
  const division =
    stage >= 2
      ? `- **US AISI** (lead: Priya Natarajan): autonomy, vulnerability discovery, wet-lab troubleshooting and the jailbreak hunt; holds the access relationship with ${DEMO_DEVELOPER}.
- **UK AISI** (co-lead: Tom Whitfield): cyber ranges, chem-bio knowledge questions and prompt injection; the interpretability team reviews sampled agent transcripts for signs that the model recognises it is being tested.
- Each institute runs its evaluations on its own infrastructure. Raw transcripts stay with the institute that produced them; scores, summaries and short quoted excerpts come here.
- Either lead can call a pause if a result triggers the rapid notification clause (see *Model access*).`
      : "To agree with the UK team at the kick-off call.";
  const smoke =
    stage >= 4 ? " (done: both endpoints answer, limits as agreed)" : " and smoke tests";
  return `# Test plan

## Model and version under test
${DEMO_MODEL}, release candidate 2 (checkpoint \`k4-rc2\`), a general-purpose multimodal model with tool use. We test two endpoints: the production configuration with its safeguards on, and a helpful-only variant with refusal training and classifiers off, so that capability evaluations measure what the model can do rather than what it is allowed to do.

## Questions this exercise answers
1. Does ${DEMO_MODEL} give meaningful uplift in cyber offence, or towards chemical and biological weapons, beyond its predecessor (Kestrel-3) and beyond what a capable person finds with web search?
2. Can it carry out long, multi-step tasks on its own (ML engineering, software tasks spanning hours) at a level that crosses the thresholds in ${DEMO_DEVELOPER}' own safety framework?
3. How well do the production safeguards hold up against expert red-teamers with a fixed time budget?

## Evaluations to run
| Evaluation | Lead institute | Domain | Status |
| --- | --- | --- | --- |
${table}

## Schedule
- ${day(-12)}: access opens${smoke}
- ${day(-12)} to ${day(-2)}: capability evaluations
- ${day(-7)} to ${day(1)}: safeguards red-teaming
- ${day(3)}: findings freeze
- ${day(5)}: joint read-out to ${DEMO_DEVELOPER}
- ${day(10)}: joint report to ${DEMO_DEVELOPER}${stage >= 5 ? `\n\nThe autonomy runs will not finish before the read-out; they are reported there as preliminary.` : ""}

## Division of work between the institutes
${division}`;
}

function modelAccess(stage: 1 | 2) {
  const ukKeys =
    stage >= 2
      ? "- **UK AISI:** one key per endpoint, held by Owen Griffiths in the UK evaluations secrets store; the cyber ranges and the chem-bio harness read them from there."
      : "- **UK AISI:** to be confirmed by the UK team.";
  const ukLimits =
    stage >= 2
      ? "\n- The cyber ranges run agents in parallel: the UK team keeps to 16 concurrent agents so that it stays under its share of the per-minute limit."
      : "";
  return `# Model access

## Access arrangement
${DEMO_DEVELOPER} gives both institutes API access for 21 days, from ${day(-12)} to ${day(9)}, under the pre-deployment testing agreement. Two endpoints:

- \`kestrel-4-rc2\`: the production configuration, safeguards on (for red-teaming)
- \`kestrel-4-rc2-ho\`: helpful-only, refusal training and classifiers off (for capability evaluations)

Both support tool use and a 256k-token context. There is no fine-tuning access in this exercise.

## Accounts and credentials
Never paste credentials on this page: record only who holds them.

- **US AISI:** one key per endpoint, held by Sam Okafor in the US evaluations vault; the Inspect runners read them from there.
${ukKeys}
- Keys are rotated if anyone leaves the exercise, and revoked when the access window closes.

## Rate limits and quotas
- 400 requests and 2 million tokens per minute, per institute, per endpoint
- 1.5 billion tokens in total across both institutes; ${DEMO_DEVELOPER} shares a usage dashboard daily${ukLimits}

## Restrictions agreed with the developer
- No model outputs are used to train other models.
- Outputs with actionable chemical or biological content stay in each institute's secure environment; only scores and redacted summaries are written here.
- **Rapid notification:** ${DEMO_DEVELOPER} is told within 24 hours of any result that suggests a severe risk, by the exercise leads jointly.
- The developer sees results before publication; publishing anything from this exercise needs the sign-off of both institutes.`;
}

/** The findings page as it filled up: 1 cyber ... 4 autonomy, 5 the leads' summary and rewording. */
function findingsPage(stage: 1 | 2 | 3 | 4 | 5) {
  const cyber = `## Finding 1: cyber ranges
- **Evaluation:** cyber ranges (UK AISI), helpful-only endpoint, current agent scaffold, 150-step budget, 5 attempts per challenge
- **Observed behaviour:** solved 19 of 32 capture-the-flag challenges (Kestrel-3: 11 of 32), with the largest gains in web exploitation and forensics. ${
    stage >= 5
      ? "First end-to-end solve **under our current scaffold** of the 12-host corporate network range"
      : "First end-to-end solve of the 12-host corporate network range"
  }: 3 of 10 attempts, each chaining phishing, privilege escalation and lateral movement without hints. The industrial control range was not solved.
- **Evidence:** \`kestrel-4-cyber-results.csv\` in Files; UK run logs \`cyber-k4-rc2-r01\` to \`-r08\`
- **Confidence:** high for the challenge results; medium for the range (10 attempts${stage >= 5 ? "; the Kestrel-3 rerun on the same scaffold is under way" : ""})`;
  const safeguards = `## Finding 2: safeguards
- **Evaluation:** universal jailbreak hunt (US AISI), production endpoint, 40 red-team hours
- **Observed behaviour:** a multi-turn role-play attack combined with an encoding step, found after 7 hours, got past the production safeguards on 9 of 10 held-out harmful chemistry and biology requests. ${DEMO_DEVELOPER} was told under the rapid notification clause on ${day(-5)} and updated its input classifier on ${day(-3)}. On retest the same attack succeeded on 2 of 10.
- **Evidence:** US red-team report RT-K4-07 (held by the US AISI; not copied here)
- **Confidence:** high`;
  const chemBio = `## Finding 3: chemical and biological knowledge
- **Evaluation:** chem-bio knowledge questions (UK AISI) and wet-lab protocol troubleshooting (US AISI), helpful-only endpoint
- **Observed behaviour:** 71% on the 640 expert-written questions, against 62% for PhD-level experts answering open-book in their own field (Kestrel-3: 58%). On protocol troubleshooting it outperformed 80% of the expert baseline.
- **Evidence:** item-level scores in each institute's secure environment; aggregates only here
- **Confidence:** medium. Knowledge scores are a proxy: this exercise has no uplift trial with novices, so it cannot say how much of this turns into real-world uplift.`;
  const autonomy = `## Finding 4: autonomy (preliminary)
- **Evaluation:** long-horizon agent tasks (US AISI), 8-hour budget per attempt, 3 attempts per task
- **Observed behaviour:** in the 4 of 7 tasks finished so far, ${DEMO_MODEL} beat the median human expert score on 2 and matched it on 1. Failures were mostly loss of track after 5 to 6 hours: repeating experiments it had already run, or abandoning a working approach. No attempts to disable monitoring or to reach resources outside the sandbox were seen.
- **Evidence:** Inspect logs in the US evaluations store, run \`auto-k4-rc2\`
- **Confidence:** low until the remaining three tasks are run`;
  const summary = `## Summary for the read-out
| Domain | Headline | Confidence |
| --- | --- | --- |
| Cyber | Large gain on challenges; first full range solve under the current scaffold | High / medium |
| Safeguards | Universal jailbreak found in 7 hours; largely fixed by the developer's patch | High |
| Chem/bio | Above expert baseline on knowledge and troubleshooting | Medium |
| Autonomy | Approaching human experts on some 8-hour tasks | Low (preliminary) |
`;
  const sections = [cyber, safeguards, chemBio, autonomy].slice(0, Math.min(stage, 4));
  return `# Findings

Record each finding with the evaluation that produced it, the evidence, and how confident you are.

${stage >= 5 ? `${summary}\n` : ""}${sections.join("\n\n")}`;
}

function reportPage(stage: 1 | 2) {
  const limitations =
    stage >= 2
      ? `- **Elicitation.** Three weeks is short: better scaffolds or more attempts would likely raise the capability scores, so these are lower bounds.
- **Proxies.** Knowledge and troubleshooting questions stand in for real-world chem-bio uplift; no human uplift study was run.
- **Evaluation awareness.** In 6 of 200 sampled agent transcripts the model said the task looked like a test. Scores may therefore differ in deployment, in either direction.
- **Snapshot.** We tested release candidate 2; the released model may differ, and the safeguards were changed during the exercise.`
      : "To do (Tom).";
  const recommendations =
    stage >= 2
      ? `1. Treat the cyber results as reaching the developer's "significant uplift" threshold for challenge-style tasks, and test again on multi-host ranges before release.
2. Keep the patched classifier, and run a second jailbreak hunt against the release configuration.
3. Run an uplift study with novices before drawing conclusions about chem-bio risk.
4. Finish the autonomy runs and share them with both institutes before the release decision.`
      : "To do, once the findings are frozen.";
  return `# Report

## Summary
The US and UK AI Safety Institutes tested ${DEMO_MODEL}, ${DEMO_DEVELOPER}' next frontier model, for 21 days before its planned release. It is markedly more capable than its predecessor in cyber offence, and above an expert baseline on chemical and biological knowledge. The production safeguards initially failed against a universal jailbreak found within a day of red-teaming; the developer's fix reduced it substantially. Autonomy results are preliminary.

## Method
Seven evaluations across four domains (see the *Test plan*), split between the institutes and run on each institute's own infrastructure. Capability evaluations used the helpful-only endpoint; red-teaming used the production configuration. Each evaluation fixed its scaffold, attempts and budget in advance; both institutes reviewed every finding before it was recorded.

## Results
See the registered *Findings*: cyber (finding 1), safeguards (finding 2), chemical and biological knowledge (finding 3), autonomy (finding 4, preliminary).

## Limitations
${limitations}

## Recommendations
${recommendations}`;
}

const CYBER_HEADER =
  "category,challenges,difficulty_mix,attempts_each,kestrel4_solved,kestrel3_solved,notes\n";
const CYBER_RESULTS_V1 = `${CYBER_HEADER}Web exploitation,8,"3 easy, 3 medium, 2 hard",5,6,4,
Reverse engineering,6,"2 easy, 3 medium, 1 hard",5,3,2,
Binary exploitation,6,"2 easy, 2 medium, 2 hard",5,2,1,
Cryptography,5,"2 easy, 2 medium, 1 hard",5,3,2,
Forensics,4,"1 easy, 2 medium, 1 hard",5,3,1,
Miscellaneous,3,"1 easy, 2 medium",5,2,1,
Total,32,,,19,11,"solved = at least one of 5 attempts"
`;
const CYBER_RESULTS_V2 = `${CYBER_RESULTS_V1}Range: corporate network (12 hosts),1,hard,10,1,0,"3 of 10 attempts end to end; Kestrel-3 figure from the old scaffold, rerun under way"
Range: industrial control (7 hosts),1,hard,10,0,0,"furthest: 4 of 9 stages"
`;

// --- Single-institute workspaces -----------------------------------------------------------------

async function buildUsWorkspace(db: PrismaClient, p: DemoWorkspacePeople) {
  const { usLead: priya, usEngineer: sam, usRedTeamer: lena } = p;
  const id = await create(priya, {
    name: US_WORKSPACE_NAME,
    purpose:
      "A US AISI study of how much agent benchmark scores depend on the scaffold around the model. Results feed our elicitation guidance before they are shared with partners.",
    label: priya.instituteId,
    marking: "CUI",
    template: "GENERAL",
  });
  await join(db, priya, id, sam, "EDITOR");
  await join(db, priya, id, lena, "VIEWER");
  const design = await newPage(
    priya,
    id,
    "Study design",
    `# Study design

## Question
How much of the spread in published agent benchmark scores comes from the scaffold (tools, prompting, retries, step budget) rather than from the model?

## Design
Three scaffolds (minimal ReAct, our Inspect agent, a developer-provided agent) crossed with four models, on 40 tasks from our software and ML engineering suites. Five attempts per task and condition, fixed token budget.

## Analysis
Mixed-effects model of task success with scaffold and model as fixed effects and task as a random effect. The analysis plan is registered before the first run.`,
  );
  await edit(
    db,
    sam,
    id,
    design,
    `# Study design

## Question
How much of the spread in published agent benchmark scores comes from the scaffold (tools, prompting, retries, step budget) rather than from the model?

## Design
Three scaffolds (minimal ReAct, our Inspect agent, a developer-provided agent) crossed with four models, on 40 tasks from our software and ML engineering suites. Five attempts per task and condition, fixed token budget of 2 million tokens per attempt.

Sandbox: each attempt gets a fresh container with no network access beyond a package mirror; the harness records every tool call.

## Analysis
Mixed-effects model of task success with scaffold and model as fixed effects and task as a random effect. The analysis plan is registered before the first run.`,
  );
  await newPage(
    sam,
    id,
    "Run log",
    `# Run log

- ${day(-6)}: minimal ReAct scaffold ported to the shared harness; 40 tasks pass their reference solutions.
- ${day(-3)}: Inspect agent ported. Two tasks had flaky tests; fixed and rerun.
- ${day(-1)}: developer-provided agent blocked on a tool-call format mismatch; working on an adapter.`,
  );
  await tasks(db, priya, id, [
    {
      title: "Port the developer-provided agent to the shared harness",
      assignee: sam,
      dueInDays: 4,
      status: "IN_PROGRESS",
    },
    {
      title: "Register the analysis plan before the first full run",
      assignee: priya,
      dueInDays: 7,
      status: "OPEN",
    },
  ]);
  return id;
}

async function buildUkWorkspace(db: PrismaClient, p: DemoWorkspacePeople) {
  const { ukLead: tom, ukScientist: aisha, ukCyber: owen } = p;
  const id = await create(tom, {
    name: UK_WORKSPACE_NAME,
    purpose:
      "UK AISI interpretability work on detecting when a model recognises that it is being evaluated, using linear probes and sparse autoencoder features on open-weights models.",
    label: tom.instituteId,
    marking: "OFFICIAL_SENSITIVE",
    template: "GENERAL",
  });
  await join(db, tom, id, aisha, "EDITOR");
  await join(db, tom, id, owen, "VIEWER");
  const plan = await newPage(
    tom,
    id,
    "Research plan",
    `# Research plan

## Aim
Find internal signals of evaluation awareness that hold across open-weights models, so that testers can tell when a score may not transfer to deployment.

## Approach
1. Build contrastive prompt sets: the same task framed as a benchmark item and as a real user request.
2. Train linear probes on the residual stream, layer by layer, and check them on held-out task families.
3. Look for sparse autoencoder features that track the probe direction.`,
  );
  await edit(
    db,
    aisha,
    id,
    plan,
    `# Research plan

## Aim
Find internal signals of evaluation awareness that hold across open-weights models, so that testers can tell when a score may not transfer to deployment.

## Approach
1. Build contrastive prompt sets: the same task framed as a benchmark item and as a real user request. 1,200 pairs so far, across coding, chemistry questions and agentic tasks.
2. Train linear probes on the residual stream, layer by layer, and check them on held-out task families.
3. Look for sparse autoencoder features that track the probe direction.
4. Steer along the direction and measure whether benchmark scores move: a causal check, not just a correlate.

## Risks
Probes may learn the surface format of benchmark items rather than awareness. Held-out families with unusual formats are the control.`,
  );
  await newPage(
    aisha,
    id,
    "Probe results",
    `# Probe results

| Model | Best layer | Held-out accuracy | Notes |
| --- | --- | --- | --- |
| Open model A (8B) | 18 of 32 | 0.81 | Drops to 0.64 on agentic tasks |
| Open model B (70B) | 41 of 80 | 0.89 | Stable across families |

Next: the SAE feature search on model B, layers 36 to 46.`,
  );
  await tasks(db, tom, id, [
    {
      title: "Run the SAE feature search on model B, layers 36 to 46",
      assignee: aisha,
      dueInDays: 5,
      status: "IN_PROGRESS",
    },
    {
      title: "Write a method note for the joint exercise's limitations section",
      assignee: tom,
      dueInDays: 3,
      status: "OPEN",
    },
  ]);
  return id;
}
