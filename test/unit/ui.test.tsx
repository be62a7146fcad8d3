import type * as React from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { useForm } from "react-hook-form";
// Remix's <Link> needs a router; these are the react-router-dom build @remix-run/react itself uses.
import { MemoryRouter } from "react-router-dom";
import {
  createStaticHandler,
  createStaticRouter,
  StaticRouterProvider,
} from "react-router-dom/server";
import { afterEach, describe, expect, test, vi } from "vitest";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { forbidden } from "~/lib/service";
import {
  Alert,
  Button,
  CheckboxField,
  CheckboxGroup,
  ErrorList,
  Field,
  Pagination,
  paginationItems,
  SelectField,
  StatusButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  TextareaField,
} from "~/components/ui";

const render = (node: React.ReactNode) => renderToStaticMarkup(node);
const withRouter = (node: React.ReactNode) => render(<MemoryRouter>{node}</MemoryRouter>);

/** Every opening tag of the given name, e.g. all `<input ...>` in the markup. */
function tags(html: string, name: string): string[] {
  return html.match(new RegExp(`<${name}(?=[\\s>/])[^>]*>`, "g")) ?? [];
}

function attr(tag: string | undefined, name: string): string | undefined {
  const value = tag?.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
  return value?.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The element with this id, opening tag to its first matching close tag (no same-tag nesting). */
function byId(html: string, id: string): string | undefined {
  const open = html.match(new RegExp(`<(\\w+)[^>]*\\sid="${escapeRegExp(id)}"[^>]*>`));
  if (!open || open.index === undefined) return undefined;
  const end = html.indexOf(`</${open[1]}>`, open.index);
  return end === -1 ? open[0] : html.slice(open.index, end + open[1]!.length + 3);
}

function text(html: string | undefined) {
  return (html ?? "").replace(/<[^>]*>/g, "").replaceAll("&#x27;", "'");
}

describe("Field", () => {
  test("ties label, hint and errors to the input, and marks it invalid", () => {
    const html = render(
      <Field
        label="Email address"
        hint="Use your institute address"
        inputProps={{ name: "email", type: "email" }}
        errors={["Enter an email address"]}
      />,
    );
    const input = tags(html, "input")[0];
    const id = attr(input, "id")!;
    expect(id).toBeTruthy();
    expect(attr(tags(html, "label")[0], "for")).toBe(id);
    expect(attr(input, "aria-invalid")).toBe("true");

    const describedBy = attr(input, "aria-describedby")!.split(" ");
    expect(describedBy).toHaveLength(2);
    expect(text(byId(html, describedBy[0]!))).toBe("Use your institute address");
    const errorList = byId(html, describedBy[1]!);
    expect(errorList).toMatch(/^<ul/);
    expect(text(errorList)).toBe("Error: Enter an email address");
  });

  test("a valid field is neither invalid nor described by an empty error list", () => {
    const html = render(
      <Field label="Team" inputProps={{ name: "team", id: "team" }} errors={[]} />,
    );
    const input = tags(html, "input")[0];
    expect(attr(input, "id")).toBe("team");
    expect(attr(tags(html, "label")[0], "for")).toBe("team");
    expect(attr(input, "aria-invalid")).toBeUndefined();
    expect(attr(input, "aria-describedby")).toBeUndefined();
    expect(tags(html, "ul")).toHaveLength(0);
  });

  test("two fields on one page get distinct ids", () => {
    const html = render(
      <>
        <Field label="First name" inputProps={{ name: "first" }} />
        <Field label="Last name" inputProps={{ name: "last" }} />
      </>,
    );
    const ids = tags(html, "input").map((t) => attr(t, "id"));
    expect(new Set(ids).size).toBe(2);
    expect(tags(html, "label").map((t) => attr(t, "for"))).toEqual(ids);
  });

  test("accepts react-hook-form's register() output", () => {
    function Form() {
      const { register } = useForm<{ email: string }>();
      return (
        <Field
          label="Email"
          inputProps={{ type: "email", ...register("email", { required: true }) }}
        />
      );
    }
    const input = tags(render(<Form />), "input")[0];
    expect(attr(input, "name")).toBe("email");
  });

  test("textarea and select fields are labelled and show errors the same way", () => {
    const html = render(
      <>
        <TextareaField
          label="Personal statement"
          textareaProps={{ name: "statement" }}
          errors={["Write a personal statement"]}
        />
        <SelectField
          label="Host institute"
          placeholder="Choose an institute"
          options={[
            { value: "US-AISI", label: "US AI Safety Institute" },
            { value: "UK-AISI", label: "UK AI Safety Institute" },
          ]}
          selectProps={{ name: "institute", defaultValue: "UK-AISI" }}
          errors={["Choose an institute"]}
        />
      </>,
    );
    const [labelA, labelB] = tags(html, "label");
    for (const [label, control] of [
      [labelA, tags(html, "textarea")[0]],
      [labelB, tags(html, "select")[0]],
    ]) {
      expect(attr(label, "for")).toBe(attr(control, "id"));
      expect(attr(control, "aria-invalid")).toBe("true");
      expect(byId(html, attr(control, "aria-describedby")!)).toMatch(/^<ul/);
    }
    expect(tags(html, "option").map((t) => attr(t, "value"))).toEqual(["", "US-AISI", "UK-AISI"]);
    expect(html).toMatch(/<option value="UK-AISI" selected="">/);
  });

  test("a single checkbox is labelled and carries its errors", () => {
    const html = render(
      <CheckboxField
        label="I confirm my line manager knows I am applying"
        inputProps={{ name: "confirm" }}
        errors={["Confirm to continue"]}
      />,
    );
    const input = tags(html, "input")[0];
    expect(attr(input, "type")).toBe("checkbox");
    expect(attr(tags(html, "label")[0], "for")).toBe(attr(input, "id"));
    expect(text(byId(html, attr(input, "aria-describedby")!))).toBe("Error: Confirm to continue");
  });
});

describe("CheckboxGroup", () => {
  const roles = [
    { value: "STAFF", label: "Staff" },
    { value: "HR", label: "HR coordinator" },
    { value: "ADMIN", label: "Administrator" },
  ];

  test("groups the boxes in a fieldset named by its legend", () => {
    const html = render(
      <CheckboxGroup legend="Roles" name="roles" options={roles} defaultValue={["HR"]} />,
    );
    expect(html).toMatch(/^<fieldset[^>]*><legend[^>]*>Roles<\/legend>/);
    const boxes = tags(html, "input");
    expect(boxes).toHaveLength(3);
    const labels = tags(html, "label");
    boxes.forEach((box, i) => {
      expect(attr(box, "type")).toBe("checkbox");
      expect(attr(box, "name")).toBe("roles");
      expect(attr(box, "value")).toBe(roles[i]!.value);
      expect(attr(labels[i], "for")).toBe(attr(box, "id"));
    });
    expect(boxes.map((b) => /\schecked=""/.test(b))).toEqual([false, true, false]);
  });

  test("errors describe the whole group", () => {
    const html = render(
      <CheckboxGroup
        legend="Roles"
        name="roles"
        options={roles}
        errors={["Choose at least one role"]}
      />,
    );
    const fieldset = tags(html, "fieldset")[0];
    expect(text(byId(html, attr(fieldset, "aria-describedby")!))).toBe(
      "Error: Choose at least one role",
    );
  });
});

describe("ErrorList", () => {
  test("renders nothing without messages", () => {
    expect(render(<ErrorList id="x" errors={[]} />)).toBe("");
    expect(render(<ErrorList id="x" errors={null} />)).toBe("");
    expect(render(<ErrorList id="x" errors={["", undefined]} />)).toBe("");
  });

  test("lists each distinct message once", () => {
    const html = render(<ErrorList id="x" errors={["Too short", "Too short", "Needs a digit"]} />);
    expect(tags(html, "li")).toHaveLength(2);
  });
});

describe("Alert", () => {
  test.each([
    ["info", "status"],
    ["success", "status"],
    ["warning", "alert"],
    ["error", "alert"],
  ] as const)("%s uses role=%s and names its tone", (tone, role) => {
    const html = render(
      <Alert tone={tone} title="Saved">
        Details
      </Alert>,
    );
    expect(attr(tags(html, "div")[0], "role")).toBe(role);
    expect(text(html)).toMatch(/^(Information|Success|Warning|Error): Saved/);
  });
});

describe("Pagination", () => {
  const href = (page: number) => `/postings?q=cyber&page=${page}`;

  test("marks the current page and links to its neighbours", () => {
    const html = withRouter(<Pagination page={3} pageCount={10} makeHref={href} />);
    expect(attr(tags(html, "nav")[0], "aria-label")).toBe("Pagination");
    const links = tags(html, "a");
    const current = links.filter((a) => attr(a, "aria-current") === "page");
    expect(current).toHaveLength(1);
    expect(attr(current[0], "href")).toBe(href(3));
    expect(
      attr(
        links.find((a) => attr(a, "rel") === "prev"),
        "href",
      ),
    ).toBe(href(2));
    expect(
      attr(
        links.find((a) => attr(a, "rel") === "next"),
        "href",
      ),
    ).toBe(href(4));
    expect(text(html)).toContain("Page 3");
  });

  test("has no Previous on the first page, no Next on the last, nothing for one page", () => {
    expect(withRouter(<Pagination page={1} pageCount={4} makeHref={href} />)).not.toContain(
      "Previous",
    );
    expect(withRouter(<Pagination page={4} pageCount={4} makeHref={href} />)).not.toContain("Next");
    expect(withRouter(<Pagination page={1} pageCount={1} makeHref={href} />)).toBe("");
  });

  test("an out-of-range page is clamped", () => {
    const html = withRouter(<Pagination page={99} pageCount={4} makeHref={href} />);
    const current = tags(html, "a").find((a) => attr(a, "aria-current") === "page");
    expect(attr(current, "href")).toBe(href(4));
  });

  test("elides distant pages", () => {
    expect(paginationItems(5, 10)).toEqual([1, "gap", 4, 5, 6, "gap", 10]);
    expect(paginationItems(3, 10)).toEqual([1, 2, 3, 4, "gap", 10]);
    expect(paginationItems(1, 3)).toEqual([1, 2, 3]);
  });
});

describe("Button", () => {
  test("is not a submit button unless asked", () => {
    expect(attr(tags(render(<Button>Cancel</Button>), "button")[0], "type")).toBe("button");
    expect(attr(tags(render(<Button type="submit">Save</Button>), "button")[0], "type")).toBe(
      "submit",
    );
  });

  test("StatusButton announces that it is working while pending", () => {
    const idle = render(<StatusButton type="submit">Submit application</StatusButton>);
    expect(attr(tags(idle, "button")[0], "aria-busy")).toBeUndefined();

    const busy = render(
      <StatusButton type="submit" pending>
        Submit application
      </StatusButton>,
    );
    const button = tags(busy, "button")[0];
    expect(attr(button, "aria-busy")).toBe("true");
    expect(attr(button, "aria-disabled")).toBe("true");
    expect(text(busy)).toBe("Working…Submit application");
    expect(tags(busy, "svg")[0]).toMatch(/aria-hidden="true"/);
  });
});

describe("Table", () => {
  test("has a caption and column headers scoped to their columns", () => {
    const html = render(
      <Table caption="Open postings" captionHidden>
        <TableHead>
          <TableRow>
            <TableHeaderCell>Title</TableHeaderCell>
            <TableHeaderCell>Deadline</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          <TableRow>
            <TableCell>Evaluations researcher</TableCell>
            <TableCell>3 December 2026</TableCell>
          </TableRow>
        </TableBody>
      </Table>,
    );
    expect(html).toMatch(/<table[^>]*><caption class="sr-only">Open postings<\/caption>/);
    expect(tags(html, "th").map((th) => attr(th, "scope"))).toEqual(["col", "col"]);
  });
});

describe("GeneralErrorBoundary", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  async function renderError(thrown: unknown) {
    const routes = [
      {
        id: "root",
        path: "/",
        loader: () => {
          throw thrown;
        },
        element: <p>never shown</p>,
        errorElement: <GeneralErrorBoundary />,
      },
    ];
    const handler = createStaticHandler(routes);
    const context = await handler.query(new Request("http://localhost/"));
    if (context instanceof Response) throw new Error("unexpected redirect");
    const router = createStaticRouter(handler.dataRoutes, context);
    return renderToStaticMarkup(
      <StaticRouterProvider router={router} context={context} hydrate={false} />,
    );
  }

  const h1 = (html: string) => text(html.match(/<h1[^>]*>.*?<\/h1>/)?.[0]);

  test("404 says the page was not found and links home", async () => {
    const html = await renderError(new Response("Posting 42 not found", { status: 404 }));
    expect(h1(html)).toBe("Page not found");
    expect(html).not.toContain("Posting 42");
    expect(attr(tags(html, "a")[0], "href")).toBe("/");
  });

  test("400 shows the message the route gave", async () => {
    const html = await renderError(new Response("The deadline has passed", { status: 400 }));
    expect(h1(html)).toBeTruthy();
    expect(text(html)).toContain("The deadline has passed");
  });

  test("403 has its own heading", async () => {
    const html = await renderError(new Response("nope", { status: 403 }));
    expect(h1(html)).toBe("You do not have permission to do this");
  });

  test("403 shows the reason a service gave, and no bare word when it gave none", async () => {
    const reason = "This item is the host institute's to settle.";
    expect(text(await renderError(forbidden(reason)))).toContain(reason);
    expect(text(await renderError(forbidden()))).not.toContain("Forbidden");
  });

  test("an unanticipated status hides its body", async () => {
    const html = await renderError(new Response('relation "User" does not exist', { status: 503 }));
    expect(h1(html)).toBeTruthy();
    expect(text(html)).not.toContain("relation");
  });

  test("in production an unexpected error shows a reference, never its message", async () => {
    vi.stubEnv("DEV", false);
    const html = await renderError(new Error("connect ECONNREFUSED 10.0.0.5:5432"));
    expect(h1(html)).toBe("Something went wrong");
    expect(text(html)).toMatch(/Reference: \d{4}-\d\d-\d\dT/);
    expect(html).not.toContain("ECONNREFUSED");
    expect(html).not.toContain("<pre");
  });

  test("in development the message is shown to help debugging", async () => {
    vi.stubEnv("DEV", true);
    const html = await renderError(new Error("connect ECONNREFUSED 10.0.0.5:5432"));
    expect(text(html)).toContain("ECONNREFUSED");
  });
});
