import type { Prisma } from "~/generated/prisma/client";
import type { TaskStatus } from "~/generated/prisma/enums";
import { db } from "~/lib/db.server";
import { spendRateLimit } from "~/lib/rate-limits.server";
import type { Actor } from "~/lib/permissions";
import { forbidden, notFound, refused, stale, type ServiceResult } from "~/lib/service";
import { TASK_STATUS_LABELS } from "./rules";
import type { TaskInput, TaskStatusInput } from "./schema";
import { access, visibleTo } from "./access.server";
import { logActivity, touchWorkspace } from "./activity.server";

// A workspace's tasks, and "My tasks" across workspaces. Every function starts with the access
// check (access.server.ts) or, for a list across workspaces, its condition (visibleTo).

const TASK_SELECT = {
  id: true,
  title: true,
  status: true,
  version: true,
  dueOn: true,
  assigneeId: true,
  assignee: { select: { displayName: true } },
} satisfies Prisma.WorkspaceTaskSelect;

export async function listTasks(actor: Actor, workspaceId: string) {
  return db.$transaction(async (tx) => {
    const { role } = await access(tx, actor, workspaceId, "read");
    const [tasks, members] = await Promise.all([
      tx.workspaceTask.findMany({
        where: { workspaceId },
        orderBy: [
          { status: "asc" },
          { dueOn: { sort: "asc", nulls: "last" } },
          { createdAt: "asc" },
        ],
        take: 500,
        select: TASK_SELECT,
      }),
      tx.workspaceMember.findMany({
        where: { workspaceId },
        orderBy: { user: { displayName: "asc" } },
        select: { user: { select: { id: true, displayName: true } } },
      }),
    ]);
    return { role, tasks, members: members.map((m) => m.user) };
  });
}

export async function createTask(
  actor: Actor,
  workspaceId: string,
  input: TaskInput,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    await access(tx, actor, workspaceId, "edit");
    if (input.assigneeId) {
      const member = await tx.workspaceMember.findUnique({
        where: { workspaceId_userId: { workspaceId, userId: input.assigneeId } },
        select: { role: true },
      });
      if (!member) return refused("Assign the task to a member of this workspace", "assigneeId");
    }
    const limited = await spendRateLimit("tasksPerPerson", actor.id, tx);
    if (limited) return limited;
    await tx.workspaceTask.create({
      data: {
        workspaceId,
        title: input.title,
        assigneeId: input.assigneeId || null,
        dueOn: input.dueOn ? new Date(`${input.dueOn}T00:00:00Z`) : null,
        createdById: actor.id,
      },
    });
    await touchWorkspace(tx, workspaceId);
    await logActivity(
      tx,
      workspaceId,
      actor,
      "task.created",
      `added the task “${input.title}”`,
      "/tasks",
    );
    return { ok: true };
  });
}

/** Editors and owners move any task; the assignee moves their own, whatever their role. */
export async function moveTask(
  actor: Actor,
  workspaceId: string,
  input: TaskStatusInput,
): Promise<ServiceResult> {
  return db.$transaction(async (tx) => {
    const { role } = await access(tx, actor, workspaceId, "read");
    const task = await tx.workspaceTask.findFirst({
      where: { id: input.taskId, workspaceId },
      select: { id: true, title: true, assigneeId: true, version: true, status: true },
    });
    if (!task) throw notFound();
    if (role === "VIEWER" && task.assigneeId !== actor.id) throw forbidden();
    const moved = await tx.workspaceTask.updateMany({
      where: { id: task.id, version: input.version },
      data: { status: input.status, version: { increment: 1 } },
    });
    if (moved.count !== 1)
      return stale("This task changed since you opened the page. It now shows its current state.");
    await logActivity(
      tx,
      workspaceId,
      actor,
      "task.moved",
      `marked “${task.title}” ${TASK_STATUS_LABELS[input.status].toLowerCase()}`,
      "/tasks",
    );
    return { ok: true };
  });
}

/** "My tasks": tasks assigned to the actor in every workspace they can see. */
export async function listMyTasks(actor: Actor, status?: TaskStatus) {
  return db.workspaceTask.findMany({
    where: {
      assigneeId: actor.id,
      ...(status ? { status } : { status: { not: "DONE" } }),
      workspace: visibleTo(actor),
    },
    orderBy: [{ dueOn: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
    take: 500,
    select: {
      ...TASK_SELECT,
      workspace: { select: { id: true, name: true, marking: true } },
    },
  });
}
