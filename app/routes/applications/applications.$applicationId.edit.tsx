import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { FormErrors, useZodForm } from "~/components/forms";
import { useIsPending } from "~/components/use-is-pending";
import {
  Alert,
  Button,
  Field,
  PageHeader,
  SelectField,
  StatusButton,
  TextareaField,
} from "~/components/ui";
import { requireUser } from "~/lib/auth.server";
import { refusalInit } from "~/lib/service";
import { getEnv } from "~/lib/env.server";
import { parseUploadForm } from "~/lib/files.server";
import { idParam } from "~/lib/request.server";
import { redirectWithFlash } from "~/lib/flash.server";
import { formatDateTime } from "~/lib/format";
import { parseForm } from "~/lib/forms";
import {
  getApplicationForm,
  saveApplication,
  type CvUpload,
} from "~/modules/applications/drafts.server";
import { ApplicationSchema, STATEMENT_MAX } from "~/modules/applications/schema";
import { CLEARANCE_LABELS, CLEARANCE_LEVELS } from "~/modules/postings/schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Application: ${data?.application.posting.title ?? ""} | Exchange portal` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const application = await getApplicationForm(user, idParam(params, "applicationId"));
  if (application.status !== "DRAFT") throw redirect(`/applications/${application.id}`);
  return {
    application,
    where: { locale: user.institute.locale, timeZone: user.institute.timeZone },
    maxMb: Math.floor(getEnv().UPLOAD_MAX_BYTES / 1024 / 1024),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params, "applicationId");
  const { formData, tooLarge } = await parseUploadForm(request);
  if (tooLarge) {
    const max = Math.floor(getEnv().UPLOAD_MAX_BYTES / 1024 / 1024);
    return data({ errors: { cv: [`The CV must be ${max} MB or smaller`] } }, { status: 400 });
  }
  const parsed = parseForm(formData, ApplicationSchema);
  if (!parsed.success) return data({ errors: parsed.errors }, { status: 400 });
  const file = formData.get("cv");
  let cv: CvUpload = null;
  if (file instanceof File && (file.size > 0 || file.name)) {
    cv = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  }
  const result = await saveApplication(user, id, parsed.data, cv);
  if (!result.ok) return data({ errors: result.errors }, refusalInit(result));
  if (result.submitted)
    return redirectWithFlash(`/applications/${id}`, {
      tone: "success",
      message: "Application submitted. Your line manager has been asked to release you.",
    });
  return redirectWithFlash(`/applications/${id}/edit`, {
    tone: "success",
    message: "Draft saved.",
  });
}

export default function EditApplication() {
  const { application, where, maxMb } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, onSubmit, errorsFor, formErrors } = useZodForm(ApplicationSchema, {
    serverErrors: actionData?.errors,
    defaultValues: {
      statement: application.statement,
      availableFrom: application.availableFrom?.toISOString().slice(0, 10) ?? "",
      availableUntil: application.availableUntil?.toISOString().slice(0, 10) ?? "",
      declaredClearance: application.declaredClearance,
      version: application.version,
    },
  });
  const pending = useIsPending();
  const cvErrors = errorsFor("cv");
  return (
    <div className="max-w-3xl">
      <PageHeader
        title="Your application"
        description={`${application.posting.title} · ${application.posting.hostInstitute.name}`}
      />
      <p className="mb-4">
        Deadline: <strong>{formatDateTime(application.posting.deadline, where)}</strong>.{" "}
        <Link to={`/postings/${application.posting.id}`} className="text-brand-700 underline">
          Read the posting
        </Link>
      </p>
      <Form
        method="post"
        encType="multipart/form-data"
        noValidate
        onSubmit={onSubmit}
        className="space-y-5"
      >
        <FormErrors errors={formErrors} />
        <input type="hidden" {...register("version")} />
        <TextareaField
          label="Personal statement"
          hint={`Why this secondment, and what you would bring. Up to ${STATEMENT_MAX.toLocaleString("en")} characters.`}
          textareaProps={{ ...register("statement"), rows: 10 }}
          errors={errorsFor("statement")}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Available from"
            inputProps={{ ...register("availableFrom"), type: "date" }}
            errors={errorsFor("availableFrom")}
          />
          <Field
            label="Available until"
            inputProps={{ ...register("availableUntil"), type: "date" }}
            errors={errorsFor("availableUntil")}
          />
        </div>
        <SelectField
          label="Your current clearance"
          hint="As you hold it today; the host verifies it during clearance."
          selectProps={register("declaredClearance")}
          options={CLEARANCE_LEVELS.map((c) => ({ value: c, label: CLEARANCE_LABELS[c] }))}
          errors={errorsFor("declaredClearance")}
        />
        <Field
          label="CV"
          hint={
            application.cvFile
              ? `Attached: ${application.cvFile.filename}. Choose a file only to replace it. PDF or Word (DOCX), up to ${maxMb} MB.`
              : `PDF or Word (DOCX), up to ${maxMb} MB.`
          }
          inputProps={{
            type: "file",
            name: "cv",
            accept:
              ".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          }}
          errors={cvErrors}
        />
        {application.cvFile ? null : (
          <Alert tone="info">You need to attach a CV before you can submit.</Alert>
        )}
        <div className="flex flex-wrap gap-3">
          <Button type="submit" name="intent" value="save" variant="secondary" disabled={pending}>
            Save draft
          </Button>
          <StatusButton type="submit" name="intent" value="submit" pending={pending}>
            Submit application
          </StatusButton>
        </div>
      </Form>
    </div>
  );
}
