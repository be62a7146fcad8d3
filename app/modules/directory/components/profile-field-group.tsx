import type * as React from "react";
import { PROFILE_GROUP_NAMES, type ProfileGroup } from "./profile-groups";

/** One group of the profile form: its fields, with the choice of who can see them beside them. */
export function ProfileFieldGroup({
  group,
  visibility,
  children,
}: {
  group: ProfileGroup;
  visibility: React.ReactNode;
  children: React.ReactNode;
}) {
  const headingId = `group-${group}`;
  return (
    <section
      aria-labelledby={headingId}
      className="rounded border border-slate-300 bg-white p-4 shadow-sm"
    >
      <h2 id={headingId} className="mb-3 text-lg font-semibold">
        {PROFILE_GROUP_NAMES[group]}
      </h2>
      <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_14rem]">
        <div className="space-y-4">{children}</div>
        <div className="md:border-l md:border-slate-200 md:pl-4">{visibility}</div>
      </div>
    </section>
  );
}
