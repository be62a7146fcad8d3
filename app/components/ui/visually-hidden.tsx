import type * as React from "react";

export type VisuallyHiddenProps = React.HTMLAttributes<HTMLSpanElement>;

/** Text for screen readers only (e.g. "Page" before a page number, "Error:" before a message). */
export function VisuallyHidden({ className, ...props }: VisuallyHiddenProps) {
  return <span className={className ? `sr-only ${className}` : "sr-only"} {...props} />;
}
