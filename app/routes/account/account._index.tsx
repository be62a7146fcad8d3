import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { Badge, Button, PageHeader, Table } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/format";
import { readFormData, requestInfo } from "~/lib/request.server";
import { clearSessionCookie } from "~/lib/session.server";
import { getMfaStatus } from "~/modules/accounts/mfa.server";
import { listMySessions, signOutEverywhere } from "~/modules/accounts/sign-in.server";

export const meta: MetaFunction = () => [{ title: "Your account | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request, { allowMfaEnrolment: true });
  const [mfa, sessions] = await Promise.all([getMfaStatus(user), listMySessions(user)]);
  return {
    user: {
      displayName: user.displayName,
      email: user.email,
      roles: user.roles,
      institute: user.institute,
    },
    mfa,
    sessions: sessions.map((s) => ({ ...s, current: s.id === user.sessionId, id: undefined })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, { allowMfaEnrolment: true });
  const form = await readFormData(request);
  if (form.get("intent") !== "sign-out-everywhere")
    throw new Response("Unknown action", { status: 400 });
  await signOutEverywhere(user, requestInfo(request, context));
  return redirect("/login", { headers: { "Set-Cookie": clearSessionCookie() } });
}

export default function Account() {
  const { user, mfa, sessions } = useLoaderData<typeof loader>();
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
              <th scope="col">Signed in</th>
              <th scope="col">Last active</th>
              <th scope="col">Address</th>
              <th scope="col">Browser</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s, i) => (
              <tr key={i}>
                <td>
                  {formatDateTime(s.createdAt, where)}{" "}
                  {s.current ? <Badge tone="info">This device</Badge> : null}
                </td>
                <td>{formatDateTime(s.lastSeenAt, where)}</td>
                <td>{s.ipAddress || "unknown"}</td>
                <td className="max-w-xs truncate">{s.userAgent || "unknown"}</td>
              </tr>
            ))}
          </tbody>
        </Table>
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
