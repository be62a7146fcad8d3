import { CheckboxGroup, SelectField, type InputProps, type SelectProps } from "~/components/ui";
import { ROLES } from "../schema";
import { ROLE_LABELS } from "./role-labels";

/** The line manager and roles of a person: the same on the invitation and the edit form. */
export function ManagerAndRolesFields({
  managers,
  managerProps,
  rolesProps,
  defaultRoles,
  errorsFor,
}: {
  managers: { id: string; displayName: string }[];
  managerProps: SelectProps;
  rolesProps: Omit<InputProps, "type" | "id" | "value" | "checked" | "defaultChecked">;
  defaultRoles: readonly string[];
  errorsFor: (name: string) => string[] | undefined;
}) {
  return (
    <>
      <SelectField
        label="Line manager"
        hint="Must belong to the same institute. They approve this person's secondment applications."
        selectProps={managerProps}
        options={[
          { value: "", label: "None" },
          ...managers.map((m) => ({ value: m.id, label: m.displayName })),
        ]}
        errors={errorsFor("lineManagerId")}
      />
      <CheckboxGroup
        legend="Roles"
        name="roles"
        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        defaultValue={defaultRoles}
        inputProps={rolesProps}
        errors={errorsFor("roles")}
      />
    </>
  );
}
