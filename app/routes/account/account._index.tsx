import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { Badge, Button, ErrorList, PageHeader, Table } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDateTime } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import { readFormData, requestInfo } from "~/lib/request.server";
import { clearSessionCookie } from "~/lib/session.server";
import { getMfaStatus } from "~/modules/accounts/mfa.server";
import { endMySession, listMySessions } from "~/modules/accounts/recovery.server";
import { EndSessionSchema } from "~/modules/accounts/schema";
import { signOutEverywhere } from "~/modules/accounts/sign-in.server";

export const meta: MetaFunction = () => [{ title: "Your account | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { allowPasskeyEnrolment: true });
  const [mfa, sessions] = await Promise.all([getMfaStatus(user), listMySessions(user)]);
  return {
    user: {
      displayName: user.displayName,
      email: user.email,
      roles: user.roles,
      institute: user.institute,
    },
    mfa,
    sessions,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, { allowPasskeyEnrolment: true });
  const form = await readFormData(request);
  const intent = form.get("intent");
  if (intent === "end-session") {
    const parsed = parseForm(form, EndSessionSchema);
    if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
    const result = await endMySession(user, parsed.data.session, requestInfo(request, context));
    if (!result.ok) return data({ errors: result.errors }, { status: 400 });
    return redirectWithFlash("/account", { tone: "success", message: "That session has ended." });
  }
  if (intent !== "sign-out-everywhere") throw new Response("Unknown action", { status: 400 });
  await signOutEverywhere(user, requestInfo(request, context));
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie() } });
}

export default function Account() {
  const { user, mfa, sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const where = user.institute;
  return (
    <>
      <PageHeader title="Your account" description={`${user.email} · ${user.institute.name}`} />
      <section aria-labelledby="security" className="mb-8 space-y-3">
        <h2 id="security" className="text-xl font-semibold">
          Security
        </h2>
        <p>
          Two-step verification:{" "}
          {mfa.enabled ? <Badge tone="success">On</Badge> : <Badge tone="warning">Off</Badge>}
          {mfa.enabled ? ` · ${mfa.recoveryCodesLeft} recovery codes left` : null}
        </p>
        <ul className="list-inside list-disc space-y-1">
          {!mfa.enabled ? (
            <li>
              <Link to="/account/mfa" className="text-brand-700 underline">
                Turn on two-step verification
              </Link>
            </li>
          ) : null}
          <li>
            <Link to="/account/passkeys" className="text-brand-700 underline">
              Passkeys: add, rename or remove
            </Link>
          </li>
          <li>
            <Link to="/account/password" className="text-brand-700 underline">
              Change your password
            </Link>
          </li>
          <li>
            <Link to="/account/notifications" className="text-brand-700 underline">
              Choose which notifications are also emailed
            </Link>
          </li>
          <li>
            <a href="/account/data" className="text-brand-700 underline" download>
              Download everything the portal holds about you (JSON)
            </a>
          </li>
        </ul>
      </section>
      <section aria-labelledby="sessions" className="space-y-3">
        <h2 id="sessions" className="text-xl font-semibold">
          Where you are signed in
        </h2>
        <Table caption="Your active sessions" captionHidden>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">
                <span className="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.handle}>
                <td className="max-w-xs truncate">
                  {s.userAgent || "unknown"}{" "}
                  {s.current ? <Badge tone="info">This device</Badge> : null}
                </td>
                <td>{s.ipAddress || "unknown"}</td>
                <td>{formatDateTime(s.createdAt, where)}</td>
                <td>{formatDateTime(s.lastSeenAt, where)}</td>
                <td>
                  {s.current ? null : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="end-session" />
                      <input type="hidden" name="session" value={s.handle} />
                      <Button type="submit" variant="secondary">
                        Sign out
                        <span className="sr-only">
                          {" "}
                          the session last seen at {formatDateTime(s.lastSeenAt, where)}
                        </span>
                      </Button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
        {actionData?.errors ? (
          <ErrorList errors={Object.values(actionData.errors).flat()} id="session-errors" />
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="sign-out-everywhere" />
          <Button type="submit" variant="danger">
            Sign out everywhere
          </Button>
        </Form>
      </section>
    </>
  );
}
