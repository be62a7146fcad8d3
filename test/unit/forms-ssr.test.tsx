import { renderToStaticMarkup } from "react-dom/server";
import {
  createStaticHandler,
  createStaticRouter,
  StaticRouterProvider,
} from "react-router-dom/server";
import { expect, test } from "vitest";
import { z } from "zod";
import { useZodForm } from "~/components/forms";
import { Field } from "~/components/ui";

const Schema = z.object({ name: z.string().min(1), team: z.string() });

function EditForm() {
  const { register } = useZodForm(Schema, {
    defaultValues: { name: "Ada Lovelace", team: "Evaluations" },
  });
  return (
    <form method="post">
      <Field label="Name" inputProps={register("name")} />
      <Field label="Team" inputProps={register("team")} />
    </form>
  );
}

// With JavaScript off the browser posts what the server rendered: saved values must be in the HTML,
// or saving an edit page would blank every field.
test("server-rendered forms carry their saved values", async () => {
  const handler = createStaticHandler([{ id: "root", path: "/", element: <EditForm /> }]);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToStaticMarkup(
    <StaticRouterProvider router={router} context={context} hydrate={false} />,
  );
  expect(html).toMatch(/<input[^>]*name="name"[^>]*value="Ada Lovelace"/);
  expect(html).toMatch(/<input[^>]*name="team"[^>]*value="Evaluations"/);
});
