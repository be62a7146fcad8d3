import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { Badge, Button, Field, PageHeader, Pagination, SelectField, Table } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { listUsers } from "~/modules/accounts/users.server";
import { UserListFilterSchema } from "~/modules/accounts/schema";
import { listInstitutes } from "~/modules/institutes/institutes.server";

export const meta: MetaFunction = () => [{ title: "Users | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  const filter = UserListFilterSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [result, institutes] = await Promise.all([listUsers(actor, filter), listInstitutes(actor)]);
  return {
    ...result,
    filter,
    institutes: institutes.map((i) => ({ value: i.id, label: `${i.code} · ${i.name}` })),
  };
}

export default function Users() {
  const { users, total, page, pageCount, filter, institutes } = useLoaderData<typeof loader>();
  const makeHref = (p: number) =>
    `?${new URLSearchParams({ ...(filter.q ? { q: filter.q } : {}), ...(filter.institute ? { institute: filter.institute } : {}), ...(filter.status ? { status: filter.status } : {}), page: String(p) })}`;
  return (
    <>
      <PageHeader
        title="Users"
        description={`${total} ${total === 1 ? "person" : "people"}`}
        actions={
          <Link
            to="/admin/users/new"
            className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800"
          >
            Invite a user
          </Link>
        }
      />
      <Form
        method="get"
        className="mb-6 grid items-end gap-4 md:grid-cols-4"
        aria-label="Filter users"
      >
        <Field
          label="Name or email"
          inputProps={{ name: "q", defaultValue: filter.q ?? "", type: "search" }}
        />
        <SelectField
          label="Institute"
          selectProps={{ name: "institute", defaultValue: filter.institute ?? "" }}
          options={[{ value: "", label: "All institutes" }, ...institutes]}
        />
        <SelectField
          label="Status"
          selectProps={{ name: "status", defaultValue: filter.status ?? "active" }}
          options={[
            { value: "active", label: "Active" },
            { value: "deactivated", label: "Deactivated" },
            { value: "all", label: "All" },
          ]}
        />
        <div>
          <Button type="submit" variant="secondary">
            Filter
          </Button>
        </div>
      </Form>
      <Table caption="Users">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Institute</th>
            <th scope="col">Roles</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>
                <Link to={`/admin/users/${u.id}`} className="text-brand-700 underline">
                  {u.displayName}
                </Link>
                {u.jobTitle ? <div className="text-sm text-slate-700">{u.jobTitle}</div> : null}
              </td>
              <td>{u.email}</td>
              <td>{u.institute.code}</td>
              <td>
                <span className="flex flex-wrap gap-1">
                  {u.roles.map((r) => (
                    <Badge key={r}>{r}</Badge>
                  ))}
                </span>
              </td>
              <td>
                {u.deactivatedAt ? (
                  <Badge tone="danger">Deactivated</Badge>
                ) : u.invitationPending ? (
                  <Badge tone="warning">Invited</Badge>
                ) : (
                  <Badge tone="success">Active</Badge>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pagination page={page} pageCount={pageCount} makeHref={makeHref} />
    </>
  );
}
