import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PageHeader, Table } from "~/components/ui";
import { requireRole } from "~/lib/auth.server";
import { listInstitutes } from "~/modules/institutes/institutes.server";

export const meta: MetaFunction = () => [{ title: "Institutes | Exchange portal" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireRole(request, "ADMIN");
  return { institutes: await listInstitutes(actor) };
}

export default function Institutes() {
  const { institutes } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Institutes" description="Partner institutes of the exchange." />
      <Table caption="Partner institutes" captionHidden>
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">Name</th>
            <th scope="col">Country</th>
            <th scope="col">Time zone</th>
            <th scope="col">Locale</th>
            <th scope="col">Users</th>
          </tr>
        </thead>
        <tbody>
          {institutes.map((i) => (
            <tr key={i.id}>
              <td>
                <Link to={`/admin/institutes/${i.id}`} className="text-brand-700 underline">
                  {i.code}
                </Link>
              </td>
              <td>{i.name}</td>
              <td>{i.country}</td>
              <td>{i.timeZone}</td>
              <td>{i.locale}</td>
              <td>{i._count.users}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
