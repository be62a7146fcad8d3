import type * as React from "react";

export interface PageHeaderProps {
  title: React.ReactNode;
  description?: React.ReactNode;
  /** Buttons or links for the page's main actions, placed beside the title on wide screens. */
  actions?: React.ReactNode;
  /** Lets the page's `<main>` or a skip link point at the heading. */
  id?: string;
  className?: string;
}

export function PageHeader({ title, description, actions, id, className }: PageHeaderProps) {
  return (
    <div
      className={`mb-6 flex flex-col gap-4 border-b border-gray-300 pb-4 sm:flex-row sm:items-start sm:justify-between ${className ?? ""}`.trim()}
    >
      <div className="min-w-0">
        <h1 id={id} className="text-3xl font-bold tracking-tight text-gray-900">
          {title}
        </h1>
        {description ? <div className="mt-2 max-w-prose text-gray-700">{description}</div> : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}
