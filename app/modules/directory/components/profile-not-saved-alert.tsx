import { Alert, ErrorList } from "~/components/ui";
import type { FieldErrors } from "~/lib/forms";

/** Above the profile form when the last save was refused: the form's own errors, if any. */
export function ProfileNotSavedAlert({ errors }: { errors: FieldErrors | undefined }) {
  if (!errors) return null;
  const formErrors = errors[""];
  return (
    <div className="mb-6">
      <Alert tone="error" title="Your profile was not saved">
        {formErrors?.length ? (
          <ErrorList errors={formErrors} />
        ) : (
          <p>Check the fields marked below.</p>
        )}
      </Alert>
    </div>
  );
}
