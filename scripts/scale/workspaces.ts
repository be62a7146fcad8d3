// Workspaces at scale: joint ones and ones restricted to one institute (members only from
// institutes the label admits), owners, editors and viewers, pages whose current text is their
// last PageVersion (some with a long history of 50 and more versions), discussion threads, tasks
// assigned to members, and an activity feed that tells the same story. The demo researchers are
// members of the biggest ones.
import type { TaskStatus, WorkspaceRole } from "~/generated/prisma/enums";
import { Random } from "../../test/factories/random";
import type { Phase } from "./context";
import type { PoolPerson } from "./people";
import { addDays, apportion, DAY_MS, insertRows, isoDay, newId } from "./sql";

const SUBJECTS = [
  "Agentic cyber evaluations",
  "Biosecurity uplift study",
  "Jailbreak robustness benchmark",
  "Evaluation-awareness probes",
  "Safety case pilot",
  "Autonomous replication tasks",
  "Human uplift trial",
  "Sandbox hardening",
  "Refusal circuits",
  "Persuasion study",
  "Elicitation gap analysis",
  "Grader reliability",
  "Model weight security review",
  "Horizon scanning brief",
];

const PAGE_TITLES = [
  "Test plan",
  "Model access",
  "Findings",
  "Report draft",
  "Methods",
  "Meeting notes",
  "Risks and mitigations",
  "Task inventory",
  "Literature review",
  "Data handling",
  "Results log",
  "Open questions",
];

const TASKS = [
  "Review the test plan",
  "Set up the sandbox",
  "Run the baseline evaluation",
  "Write up the findings",
  "Check grader agreement",
  "Book the model access window",
  "Draft the summary for developers",
  "Update the task inventory",
  "Re-run with the new scaffold",
  "Prepare the readout slides",
];

const LINES = [
  "Scores are reported with 95% confidence intervals over three seeds.",
  "The scaffold gives the model shell access inside the sandbox, no network.",
  "Graders agreed on 91% of transcripts; disagreements went to a third reader.",
  "Open question: does the uplift hold without the retrieval tool?",
  "Action: share the raw transcripts with the partner team by Friday.",
  "The baseline used the developer's published system prompt.",
  "We saw refusals drop sharply once the task was split into steps.",
  "Next run: same tasks, the new checkpoint, identical settings.",
];

function pageBody(rng: Random, title: string, version: number) {
  const paragraphs = [`## ${title}`, "", `Status: revision ${version}.`, ""];
  const n = 3 + (version % 5);
  for (let k = 0; k < n; k++) paragraphs.push(`- ${LINES[(version * 3 + k) % LINES.length]!}`);
  paragraphs.push("", rng.pick(LINES));
  return paragraphs.join("\n");
}

export async function generateWorkspaces(phase: Phase) {
  const { tx, now, counts, people, demo } = phase;
  const rng = new Random("scale:workspaces");
  const institutes = people.institutes;
  const usId = demo.usStaff?.instituteId;
  const usDemo = [demo.usManager, demo.usStaff, demo.usStaff2].filter((p) => !!p);
  const ukDemo = [demo.ukManager, demo.ukStaff, demo.ukStaff2].filter((p) => !!p);

  const workspaces: Record<string, unknown>[] = [];
  const members: Record<string, unknown>[] = [];
  const gen: {
    id: string;
    editors: PoolPerson[];
    everyone: PoolPerson[];
    created: Date;
    name: string;
  }[] = [];
  const bigCount = Math.max(1, Math.round(counts.workspaces / 30));
  for (let n = 0; n < counts.workspaces; n++) {
    const big = n < bigCount;
    // The big ones alternate joint and US-only; the rest: 40% joint, else one institute.
    const restricted = big
      ? n % 2 === 1 && usId
        ? usId
        : null
      : rng.chance(0.4)
        ? null
        : rng.pick(institutes).id;
    const admitted = restricted ? [restricted] : institutes.map((i) => i.id);
    const pool = admitted.flatMap((id) => people.byInstitute.get(id) ?? []);
    const size = big ? rng.int(60, 150) : rng.int(3, 25);
    const chosen = new Set<PoolPerson>(rng.sample(pool, Math.min(size, pool.length)));
    for (const d of [...usDemo, ...ukDemo])
      if (admitted.includes(d.instituteId) && (big || rng.chance(0.04))) chosen.add(d);
    const everyone = [...chosen];
    const owner = everyone[0]!;
    const created = addDays(now, -rng.int(20, 500));
    const id = newId();
    const kind = !restricted && rng.chance(0.35) ? "JOINT_TESTING" : "GENERAL";
    const name = `${rng.pick(SUBJECTS)}${kind === "JOINT_TESTING" ? ": joint testing" : ""} #${n + 1}`;
    workspaces.push({
      id,
      name,
      purpose: `Shared work on ${name.toLowerCase()}.`,
      restrictedToInstituteId: restricted,
      marking: rng.weighted([
        ["OFFICIAL", 6],
        ["OFFICIAL_SENSITIVE", 3],
        ["CUI", restricted === usId ? 2 : 0],
      ] as const),
      kind,
      createdById: owner.id,
      createdAt: created.toISOString(),
      updatedAt: now.toISOString(),
    });
    const editors: PoolPerson[] = [];
    everyone.forEach((p, k) => {
      const isDemo = usDemo.includes(p) || ukDemo.includes(p);
      const role: WorkspaceRole =
        k === 0 || (k < 3 && rng.chance(0.5))
          ? "OWNER"
          : isDemo || rng.chance(0.55)
            ? "EDITOR"
            : "VIEWER";
      if (role !== "VIEWER") editors.push(p);
      members.push({
        workspaceId: id,
        userId: p.id,
        role,
        joinedAt: addDays(created, k === 0 ? 0 : rng.int(0, 15)).toISOString(),
      });
    });
    gen.push({ id, editors, everyone, created, name });
  }
  const bar = phase.bar("workspaces", workspaces.length + members.length);
  await insertRows(
    tx,
    "Workspace",
    {
      id: "text",
      name: "text",
      purpose: "text",
      restrictedToInstituteId: "text",
      marking: '"ProtectiveMarking"',
      kind: '"WorkspaceKind"',
      createdById: "text",
      createdAt: "timestamp(3)",
      updatedAt: "timestamp(3)",
    },
    workspaces,
    { bar },
  );
  await insertRows(
    tx,
    "WorkspaceMember",
    { workspaceId: "text", userId: "text", role: '"WorkspaceRole"', joinedAt: "timestamp(3)" },
    members,
    { bar },
  );
  bar.done(`${members.length} members`);

  // Pages: 2-12 per workspace; a long history on the first page of the big workspaces (50-120
  // versions), the rest of the versions spread unevenly.
  type Page = { id: string; ws: (typeof gen)[number]; title: string; versions: number };
  const pages: Page[] = [];
  for (const ws of gen) {
    const n = rng.int(2, 12);
    for (let k = 0; k < n; k++)
      pages.push({
        id: newId(),
        ws,
        title: PAGE_TITLES[(k + rng.int(0, 3)) % PAGE_TITLES.length]!,
        versions: 1,
      });
  }
  const longPages = pages
    .filter((p, i) => i === pages.findIndex((q) => q.ws === p.ws))
    .slice(0, bigCount);
  let budget = counts.pageVersions - pages.length;
  for (const p of longPages) {
    const extra = Math.min(budget, rng.int(49, 119));
    p.versions += extra;
    budget -= extra;
  }
  const rest = pages.filter((p) => !longPages.includes(p));
  apportion(
    Math.max(0, budget),
    rest.map(() => rng.next() ** 3 + 0.05),
  ).forEach((n, i) => (rest[i]!.versions += n));

  const pageRows: Record<string, unknown>[] = [];
  const versionRows: Record<string, unknown>[] = [];
  const activity: Record<string, unknown>[] = [];
  for (const p of pages) {
    const span = now.getTime() - p.ws.created.getTime();
    let at = p.ws.created.getTime() + rng.next() * span * 0.3;
    const step = (now.getTime() - at) / (p.versions + 1);
    let last = { title: p.title, body: "", author: p.ws.editors[0]! };
    for (let v = 1; v <= p.versions; v++) {
      const author = rng.pick(p.ws.editors);
      const title = v > 1 && rng.chance(0.05) ? `${p.title} (revised)` : last.title;
      const body = pageBody(rng, p.title, v);
      versionRows.push({
        id: newId(),
        pageId: p.id,
        version: v,
        title,
        body,
        authorId: author.id,
        createdAt: new Date(at).toISOString(),
      });
      activity.push({
        id: newId(),
        workspaceId: p.ws.id,
        actorId: author.id,
        kind: v === 1 ? "page.created" : "page.edited",
        summary: v === 1 ? `created the page “${title}”` : `edited “${title}” (version ${v})`,
        link: `/pages/${p.id}`,
        at: new Date(at).toISOString(),
      });
      last = { title, body, author };
      if (v < p.versions) at += step * (0.5 + rng.next());
    }
    const first = versionRows[versionRows.length - p.versions]!;
    pageRows.push({
      id: p.id,
      workspaceId: p.ws.id,
      title: last.title,
      body: last.body,
      version: p.versions,
      updatedById: last.author.id,
      createdAt: first.createdAt,
      updatedAt: new Date(at).toISOString(),
    });
  }
  const pageBar = phase.bar("page versions", versionRows.length);
  await insertRows(
    tx,
    "WorkspacePage",
    {
      id: "text",
      workspaceId: "text",
      title: "text",
      body: "text",
      version: "int",
      updatedById: "text",
      createdAt: "timestamp(3)",
      updatedAt: "timestamp(3)",
    },
    pageRows,
  );
  await insertRows(
    tx,
    "PageVersion",
    {
      id: "text",
      pageId: "text",
      version: "int",
      title: "text",
      body: "text",
      authorId: "text",
      createdAt: "timestamp(3)",
    },
    versionRows,
    { bar: pageBar, chunk: 2000 },
  );
  pageBar.done(`${pageRows.length} pages`);

  // Discussion: a thread or two per workspace, a few comments each.
  const threads: Record<string, unknown>[] = [];
  const comments: Record<string, unknown>[] = [];
  for (const ws of gen) {
    const wsPages = pages.filter((p) => p.ws === ws);
    for (let k = rng.int(1, 2); k > 0; k--) {
      const page = rng.chance(0.5) ? rng.pick(wsPages) : null;
      const id = newId();
      const author = rng.pick(ws.everyone);
      const at = addDays(ws.created, rng.int(1, 15));
      threads.push({
        id,
        workspaceId: ws.id,
        pageId: page?.id ?? null,
        title: rng.pick(["Questions on the method", "Next steps", "Results so far", "Scheduling"]),
        createdById: author.id,
        createdAt: at.toISOString(),
      });
      for (let c = 0; c < rng.int(1, 4); c++)
        comments.push({
          id: newId(),
          threadId: id,
          workspaceId: ws.id,
          authorId: rng.pick(ws.everyone).id,
          body: rng.pick(LINES),
          createdAt: addDays(at, c + rng.next()).toISOString(),
        });
    }
  }
  await insertRows(
    tx,
    "DiscussionThread",
    {
      id: "text",
      workspaceId: "text",
      pageId: "text",
      title: "text",
      createdById: "text",
      createdAt: "timestamp(3)",
    },
    threads,
  );
  await insertRows(
    tx,
    "Comment",
    {
      id: "text",
      threadId: "text",
      workspaceId: "text",
      authorId: "text",
      body: "text",
      createdAt: "timestamp(3)",
    },
    comments,
  );

  // Tasks, in proportion to each workspace's size; most assigned to a member (the demo
  // researchers among them), due around today.
  const tasks: Record<string, unknown>[] = [];
  apportion(
    counts.tasks,
    gen.map((ws) => ws.everyone.length),
  ).forEach((n, i) => {
    const ws = gen[i]!;
    const demoHere = ws.everyone.filter((p) => usDemo.includes(p) || ukDemo.includes(p));
    for (let k = 0; k < n; k++) {
      const assignee = rng.chance(0.15)
        ? null
        : demoHere.length && rng.chance(0.12)
          ? rng.pick(demoHere)
          : rng.pick(ws.everyone);
      const status: TaskStatus = rng.weighted([
        ["OPEN", 4],
        ["IN_PROGRESS", 2.5],
        ["DONE", 3.5],
      ] as const);
      const created = new Date(
        ws.created.getTime() + rng.next() * (now.getTime() - ws.created.getTime()),
      );
      const creator = rng.pick(ws.editors);
      const id = newId();
      const title = rng.pick(TASKS);
      tasks.push({
        id,
        workspaceId: ws.id,
        title,
        assigneeId: assignee?.id ?? null,
        dueOn: rng.chance(0.8) ? isoDay(addDays(now, rng.int(-45, 60))) : null,
        status,
        version: status === "OPEN" ? 0 : status === "IN_PROGRESS" ? 1 : 2,
        createdById: creator.id,
        createdAt: created.toISOString(),
        updatedAt: new Date(
          Math.min(now.getTime(), created.getTime() + rng.int(0, 20) * DAY_MS),
        ).toISOString(),
      });
      activity.push({
        id: newId(),
        workspaceId: ws.id,
        actorId: creator.id,
        kind: "task.created",
        summary: `added the task “${title}”`,
        link: "/tasks",
        at: created.toISOString(),
      });
    }
  });
  const taskBar = phase.bar("tasks", tasks.length + activity.length);
  await insertRows(
    tx,
    "WorkspaceTask",
    {
      id: "text",
      workspaceId: "text",
      title: "text",
      assigneeId: "text",
      dueOn: "date",
      status: '"TaskStatus"',
      version: "int",
      createdById: "text",
      createdAt: "timestamp(3)",
      updatedAt: "timestamp(3)",
    },
    tasks,
    { bar: taskBar },
  );
  await insertRows(
    tx,
    "WorkspaceActivity",
    {
      id: "text",
      workspaceId: "text",
      actorId: "text",
      kind: "text",
      summary: "text",
      link: "text",
      at: "timestamp(3)",
    },
    activity,
    { bar: taskBar },
  );
  taskBar.done(`${activity.length} activity entries, ${threads.length} threads`);
  return {
    workspaces: workspaces.length,
    members: members.length,
    pages: pageRows.length,
    versions: versionRows.length,
    tasks: tasks.length,
  };
}
