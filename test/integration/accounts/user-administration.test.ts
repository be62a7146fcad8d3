import { describe, expect, test } from "vitest";
import type { Role } from "~/generated/prisma/enums";
import { requireRole, requireUser } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import {
  inspectOneTimeToken,
  setPasswordWithToken,
} from "~/modules/accounts/one-time-links.server";
import { signIn } from "~/modules/accounts/sign-in.server";
import {
  inviteUser,
  listUsers,
  updateUser,
  type InviteInput,
} from "~/modules/accounts/users.server";
import { uniqueEmail } from "#test/factories";
import {
  auditRows,
  freshIp,
  linkToken,
  NEW_PASSWORD,
  newUser,
  onlyEmailTo,
  requestWith,
  setUpAccountsWorld,
  signedIn,
  thrown,
  world,
} from "#test/support/accounts-world";

setUpAccountsWorld();

// ---------------------------------------------------------------- invitations and administration

describe("invitations and user administration", () => {
  function invitation(overrides: Partial<InviteInput> = {}): InviteInput {
    return {
      email: uniqueEmail("invitee"),
      displayName: "Ivy Invitee",
      jobTitle: "Research scientist",
      team: "Evaluations",
      instituteId: world.us.id,
      lineManagerId: world.usManager.id,
      roles: ["STAFF"],
      ...overrides,
    };
  }

  async function counts() {
    return {
      users: await db.user.count(),
      outbox: await db.outboxEmail.count(),
      audit: await db.auditEvent.count(),
      tokens: await db.oneTimeToken.count(),
    };
  }

  test("an admin's invitation creates the person and emails them a link", async () => {
    const input = invitation();
    const result = await inviteUser(world.admin, input, freshIp());

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const user = await db.user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(user).toMatchObject({
      email: input.email,
      displayName: "Ivy Invitee",
      instituteId: world.us.id,
      lineManagerId: world.usManager.id,
      roles: ["STAFF"],
      deactivatedAt: null,
    });
    const mail = await onlyEmailTo(input.email);
    expect(mail.subject).toBe("Admin invited you to the Exchange portal");
    linkToken(mail.text, "/invitation");
    const listed = await listUsers(world.admin, { q: input.email });
    expect(listed.users).toMatchObject([{ id: user.id, invitationPending: true }]);
    const [audit] = await auditRows({ action: "user.invited", targetId: user.id });
    expect(audit).toMatchObject({ actorId: world.admin.id, instituteId: world.us.id });
    // No password yet: nobody can sign in as them.
    expect((await signIn({ email: input.email, password: "" }, freshIp())).ok).toBe(false);
  });

  test("anyone but an admin gets a 404 and creates nothing", async () => {
    const before = await counts();
    for (const actor of [world.usHr, world.usStaff]) {
      const response = await thrown(
        inviteUser({ ...actor }, invitation({ roles: ["ADMIN"] }), freshIp()),
      );
      expect(response.status).toBe(404);
    }
    expect(await counts()).toEqual(before);
  });

  test("an address already in use gives a field error and creates nothing", async () => {
    const before = await counts();
    const result = await inviteUser(
      world.admin,
      invitation({ email: world.usStaff.email }),
      freshIp(),
    );
    expect(result).toEqual({
      ok: false,
      errors: { email: ["A user with this email address already exists."] },
    });
    expect(await counts()).toEqual(before);
  });

  test("a line manager from another institute is refused", async () => {
    const before = await counts();
    const result = await inviteUser(
      world.admin,
      invitation({ lineManagerId: world.ukStaff.id }),
      freshIp(),
    );
    expect(result).toEqual({
      ok: false,
      errors: { lineManagerId: ["Choose a line manager from the same institute."] },
    });
    expect(await counts()).toEqual(before);
  });

  test("accepting the invitation sets the password, once", async () => {
    const input = invitation();
    await inviteUser(world.admin, input, freshIp());
    const token = linkToken((await onlyEmailTo(input.email)).text, "/invitation");

    expect(await inspectOneTimeToken(token, "INVITATION")).toMatchObject({
      email: input.email,
      displayName: input.displayName,
    });
    expect(await inspectOneTimeToken(token, "PASSWORD_RESET")).toBeNull();
    expect(await setPasswordWithToken(token, "INVITATION", NEW_PASSWORD, freshIp())).toEqual({
      ok: true,
    });

    const signedInAs = await signIn({ email: input.email, password: NEW_PASSWORD }, freshIp());
    expect(signedInAs.ok).toBe(true);
    expect(
      (await setPasswordWithToken(token, "INVITATION", "a takeover attempt password", freshIp()))
        .ok,
    ).toBe(false);
    const listed = await listUsers(world.admin, { q: input.email });
    expect(listed.users).toMatchObject([{ invitationPending: false }]);
    expect(
      await auditRows({ action: "user.invitation.accepted", actorEmail: input.email }),
    ).toHaveLength(1);
  });

  test("a role change is audited with what was added and removed, and applies to live sessions", async () => {
    const user = await newUser();
    const { token } = await signedIn(user.email);
    const edit = { displayName: user.displayName, jobTitle: "", team: "" };

    expect(
      await updateUser(world.admin, user.id, { ...edit, roles: ["STAFF", "HR"] }, freshIp()),
    ).toEqual({ ok: true });
    // Now HR, and HR must register a passkey before anything else: the open session sees it at once.
    expect((await thrown(requireUser(requestWith(token)))).headers.get("Location")).toBe(
      "/account/passkeys",
    );

    await updateUser(world.admin, user.id, { ...edit, roles: ["STAFF"] }, freshIp());
    await updateUser(
      world.admin,
      user.id,
      { ...edit, roles: ["STAFF"], team: "Policy" },
      freshIp(),
    );

    const changes = await auditRows({ action: "user.roles.changed", targetId: user.id });
    expect(changes.map((c) => c.details)).toEqual([
      { added: ["HR"], removed: [] },
      { added: [], removed: ["HR"] },
    ]);
    expect(changes.every((c) => c.actorId === world.admin.id)).toBe(true);
    expect(await auditRows({ action: "user.updated", targetId: user.id })).toHaveLength(3);
  });

  test("an admin cannot remove their own admin role, and non-admins cannot edit anyone", async () => {
    const edit = { displayName: "Admin", jobTitle: "", team: "", roles: ["STAFF"] as Role[] };
    expect(await updateUser(world.admin, world.admin.id, edit, freshIp())).toMatchObject({
      ok: false,
      errors: { roles: [expect.stringMatching(/own administrator role/)] },
    });
    const response = await thrown(
      updateUser(world.usHr, world.usStaff.id, { ...edit, roles: ["STAFF", "ADMIN"] }, freshIp()),
    );
    expect(response.status).toBe(404);
    expect((await db.user.findUniqueOrThrow({ where: { id: world.usStaff.id } })).roles).toEqual([
      "STAFF",
    ]);
    expect((await db.user.findUniqueOrThrow({ where: { id: world.admin.id } })).roles).toContain(
      "ADMIN",
    );
  });

  test("requireRole answers 404 for a role the user lacks, and lets the holder through", async () => {
    const user = await newUser();
    const { token } = await signedIn(user.email);

    for (const role of ["ADMIN", "HR"] as const) {
      const response = await thrown(requireRole(requestWith(token, "/admin/users"), role));
      expect(response.status).toBe(404);
    }
    expect((await requireRole(requestWith(token), "STAFF")).id).toBe(user.id);
    // Without a session it is a sign-in redirect, not a 404.
    const anonymous = await thrown(requireRole(requestWith(null, "/admin/users"), "ADMIN"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Fusers");
    expect(anonymous.headers.get("Set-Cookie")).toBeNull();
  });
});
