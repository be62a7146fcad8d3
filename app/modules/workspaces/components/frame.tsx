import { NavLink } from "@remix-run/react";

export type WorkspaceFrameView = {
  id: string;
  name: string;
  label: string;
  labelInstitute: string | null;
  marking: string;
  role: string;
};

/**
 * The protective marking and handling label, at the top of every workspace page. Text carries the
 * meaning (no colour-only cue); the banner is a landmark so screen reader users can find it.
 */
export function MarkingBanner({ frame }: { frame: WorkspaceFrameView }) {
  return (
    <section
      aria-label="Protective marking"
      className="mb-4 rounded border-2 border-gray-900 bg-amber-50 px-4 py-2 text-center font-bold uppercase tracking-wide text-gray-900"
    >
      {frame.marking}
      <span className="mx-2" aria-hidden="true">
        ·
      </span>
      <span>
        {frame.label === "JOINT"
          ? "JOINT: shared with partner institutes"
          : `${frame.label}: ${frame.labelInstitute ?? "one institute"} staff only`}
      </span>
    </section>
  );
}

const TABS = [
  { to: "", label: "Home", end: true },
  { to: "/pages", label: "Pages" },
  { to: "/files", label: "Files" },
  { to: "/discussion", label: "Discussion" },
  { to: "/tasks", label: "Tasks" },
  { to: "/registrations", label: "Registrations" },
  { to: "/activity", label: "Activity" },
  { to: "/members", label: "Members" },
  { to: "/search", label: "Search" },
];

export function WorkspaceNav({ workspaceId }: { workspaceId: string }) {
  return (
    <nav aria-label="Workspace" className="mb-6 border-b border-gray-300">
      <ul className="flex flex-wrap gap-1">
        {TABS.map((tab) => (
          <li key={tab.label}>
            <NavLink
              to={`/workspaces/${workspaceId}${tab.to}`}
              end={tab.end}
              className={({ isActive }) =>
                `inline-block rounded-t px-3 py-2 font-semibold ${
                  isActive
                    ? "border-x border-t border-gray-300 bg-white text-gray-900 underline"
                    : "text-brand-700 hover:underline"
                }`
              }
            >
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
