import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import { Field, PageHeader, StatusButton } from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { parseUploadForm, WORKSPACE_FILE_KINDS } from "~/lib/files.server";
import { idParam } from "~/lib/request.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDateTime } from "~/lib/format";
import type { FieldErrors } from "~/lib/forms";
import { listFiles, uploadFile } from "~/modules/workspaces/files.server";
import { roleMay } from "~/modules/workspaces/rules";
import { refusalInit } from "~/lib/service";

export const meta: MetaFunction = () => [{ title: "Files | Exchange portal" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    ...(await listFiles(user, idParam(params, "workspaceId"))),
    kinds: Object.keys(WORKSPACE_FILE_KINDS),
    workspaceId: idParam(params, "workspaceId"),
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "workspaceId");
  const { formData, tooLarge } = await parseUploadForm(request);
  const fail = (errors: FieldErrors, init = { status: 400 }) => data({ errors }, init);
  if (tooLarge) return fail({ file: ["The file is too large"] });
  const file = formData.get("file");
  if (!(file instanceof File) || (!file.name && file.size === 0))
    return fail({ file: ["Choose a file to upload"] });
  const result = await uploadFile(user, id, {
    name: file.name,
    bytes: new Uint8Array(await file.arrayBuffer()),
  });
  if (!result.ok) return fail(result.errors, refusalInit(result));
  return redirectWithFlash(`/workspaces/${id}/files`, {
    tone: "success",
    message: result.version > 1 ? `New version (${result.version}) uploaded.` : "File uploaded.",
  });
}

function size(bytes: number) {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export default function Files() {
  const { files, role, kinds, where, workspaceId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = useIsPending();
  return (
    <>
      <PageHeader
        title="Files"
        description="Every version is kept. Downloads carry the workspace's marking in their name, and each is recorded."
      />
      {files.length ? (
        <ul className="space-y-4">
          {files.map((f) => (
            <li key={f.id} className="rounded border border-gray-300 p-3">
              <h2 className="font-semibold">{f.name}</h2>
              <ol className="mt-1 space-y-1">
                {f.versions.map((v) => (
                  <li key={v.id}>
                    <a
                      href={`/workspaces/${workspaceId}/files/${f.id}/${v.version}`}
                      className="text-brand-700 underline"
                      download
                    >
                      Download version {v.version}
                      <span className="sr-only"> of {f.name}</span>
                    </a>{" "}
                    <span className="text-sm text-gray-700">
                      {size(v.storedFile.size)} · {v.uploadedByName} ·{" "}
                      {formatDateTime(v.createdAt, where)}
                    </span>
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      ) : (
        <p>No files yet.</p>
      )}
      {roleMay(role, "edit") ? (
        <section aria-labelledby="upload-heading" className="mt-8 max-w-2xl">
          <h2 id="upload-heading" className="mb-2 text-xl font-semibold">
            Upload a file
          </h2>
          <Form method="post" encType="multipart/form-data" className="space-y-3">
            <FormErrors errors={actionData?.errors?.[""]} />
            <Field
              label="File"
              hint={`Allowed: ${kinds.join(", ")}. A file with the same name as one here becomes its next version.`}
              inputProps={{ name: "file", type: "file" }}
              errors={actionData?.errors?.file}
            />
            <StatusButton type="submit" pending={pending}>
              Upload
            </StatusButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}
